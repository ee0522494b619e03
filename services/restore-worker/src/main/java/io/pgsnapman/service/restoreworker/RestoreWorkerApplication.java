package io.pgsnapman.service.restoreworker;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.configcache.CacheReadiness;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.pgtools.scripts.ScriptDirectory;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.metrics.ConsumerLag;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.metrics.OutcomeMeters;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import io.pgsnapman.topicadmin.TopicProvisioner;
import io.pgsnapman.workconsumer.WorkerProducers;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * Entry point of restore-worker: validates restore requests from any producer and restores verified dumps
 * from the shared repository into target servers of its pool.
 */
@SpringBootApplication
@EnableConfigurationProperties(RestoreWorkerProperties.class)
public class RestoreWorkerApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    /** The service's configuration file is {@code restore-worker.yml}, so services can share a classpath (tests). */
    public static final String CONFIG_NAME = "restore-worker";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(RestoreWorkerApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Where this service's consumers send what they cannot read or process, one set of headers for all. */
    @Bean(destroyMethod = "close")
    DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry meters) {
        return DeadLetters.create(kafka.buildProducerProperties(), "restore-worker").countedIn(meters);
    }

    @Bean
    TopicProvisioner topicProvisioner(KafkaProperties kafka, RestoreWorkerProperties properties) {
        TopicProvisioner provisioner = new TopicProvisioner(kafka.buildAdminProperties(), properties.topics());
        provisioner.ensure(RestoreWorkerTopics.DECLARED.all());
        return provisioner;
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<ServerConfig> serverCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_SERVERS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    /** The restore jobs, for the hooks of the requests that name one (never taken from the request itself). */
    @Bean(destroyMethod = "close")
    CompactedTopicCache<RestoreJobConfig> restoreJobCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_RESTORE_JOBS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean
    CacheReadiness configCacheHealthIndicator(CompactedTopicCache<ServerConfig> servers,
            CompactedTopicCache<RestoreJobConfig> restoreJobs) {
        return new CacheReadiness(List.of(servers, restoreJobs));
    }

    @Bean
    DumpRepository dumpRepository(RestoreWorkerProperties properties) {
        return new FilesystemDumpRepository(properties.repository());
    }

    @Bean(destroyMethod = "close")
    Producer<String, Object> eventProducer(KafkaProperties kafka) {
        return WorkerProducers.events(kafka.buildProducerProperties());
    }

    @Bean(destroyMethod = "close")
    RequestConsumer requestConsumer(KafkaProperties kafka, Producer<String, Object> eventProducer,
            CompactedTopicCache<ServerConfig> servers, CompactedTopicCache<RestoreJobConfig> restoreJobs,
            DumpRepository repository, RestoreExecutor executor,
            DeadLetters deadLetters, RestoreWorkerProperties properties, FleetMeters meters) {
        return requests(RestorePurpose.RESTORE, kafka, eventProducer, servers, restoreJobs, repository, executor, deadLetters,
                properties, meters);
    }

    /** Test restores (purpose VERIFY), in a consumer group of their own. */
    @Bean(destroyMethod = "close")
    RequestConsumer verificationConsumer(KafkaProperties kafka, Producer<String, Object> eventProducer,
            CompactedTopicCache<ServerConfig> servers, CompactedTopicCache<RestoreJobConfig> restoreJobs,
            DumpRepository repository, RestoreExecutor executor,
            DeadLetters deadLetters, RestoreWorkerProperties properties, FleetMeters meters) {
        return requests(RestorePurpose.VERIFY, kafka, eventProducer, servers, restoreJobs, repository, executor, deadLetters,
                properties, meters);
    }

    private static RequestConsumer requests(RestorePurpose purpose, KafkaProperties kafka, Producer<String, Object> eventProducer,
            CompactedTopicCache<ServerConfig> servers, CompactedTopicCache<RestoreJobConfig> restoreJobs,
            DumpRepository repository, RestoreExecutor executor,
            DeadLetters deadLetters, RestoreWorkerProperties properties, FleetMeters meters) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        RequestConsumer requests = new RequestConsumer(purpose, consumer,
                AvroDeserializer.<RestoreRequested>forSpecificValues(consumer), eventProducer,
                purpose == RestorePurpose.VERIFY ? deadLetters.as("restore-worker/verify") : deadLetters, servers, restoreJobs,
                repository, new RestoreValidator(servers, restoreJobs, repository,
                        ScriptDirectory.of(properties.scriptsDir())), executor, properties, new OutcomeMeters(meters));
        meters.gauge(Metric.RESTORES_RUNNING, requests::runningCount, purpose.name());
        meters.gauge(Metric.RESTORE_SLOTS, () -> purpose == RestorePurpose.VERIFY
                ? properties.maxConcurrentVerifications() : properties.maxConcurrentRestores(), purpose.name());
        requests.start();
        return requests;
    }

    @Bean
    FleetMeters fleetMeters(MeterRegistry registry) {
        return new FleetMeters(registry);
    }

    /** The lag of this worker's two consumer groups, restores and test restores. */
    @Bean(destroyMethod = "close")
    ConsumerLag consumerLag(KafkaProperties kafka, TopicProvisioner topics, FleetMeters meters,
            RestoreWorkerProperties properties) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (RestorePurpose purpose : RestorePurpose.values()) {
            groups.put(RequestConsumer.groupId(purpose, properties.workerPool()), List.of(Topics.RESTORE_REQUESTED.name()));
        }
        return new ConsumerLag(kafka.buildAdminProperties(), groups, meters).start(properties.topics().lagEvery());
    }

    /** Closed after the request consumers, which depend on it and use it until they stop. */
    @Bean(destroyMethod = "close")
    RestoreExecutor restoreExecutor(Producer<String, Object> eventProducer, Clock clock, RestoreWorkerProperties properties) {
        return new RestoreExecutor(new ActivityReporter(eventProducer, "restore-worker/" + properties.instanceId(), clock),
                clock, properties);
    }

    @Bean(destroyMethod = "close")
    TemporaryDatabaseSweeper temporaryDatabaseSweeper(CompactedTopicCache<ServerConfig> servers, DumpRepository repository,
            RestoreExecutor executor, RestoreWorkerProperties properties) {
        TemporaryDatabaseSweeper sweeper = new TemporaryDatabaseSweeper(servers, repository, executor, properties.workerPool(),
                properties.leaseStaleAfter());
        sweeper.start();
        return sweeper;
    }
}
