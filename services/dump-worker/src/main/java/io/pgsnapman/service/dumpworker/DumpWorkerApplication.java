package io.pgsnapman.service.dumpworker;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.configcache.CacheReadiness;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.metrics.ConsumerLag;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.metrics.OutcomeMeters;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.topicadmin.TopicProvisioner;
import io.pgsnapman.workconsumer.WorkerProducers;
import java.time.Clock;
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
 * Entry point of dump-worker: rebuilds the servers from {@code config.servers} (config-service need not
 * run), takes its pool's ticks and writes dumps into the shared repository.
 */
@SpringBootApplication
@EnableConfigurationProperties(DumpWorkerProperties.class)
public class DumpWorkerApplication {


    static {
        AvroTrust.trustEventClasses();
    }

    /** The service's configuration file is {@code dump-worker.yml}, so services can share a classpath (tests). */
    public static final String CONFIG_NAME = "dump-worker";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(DumpWorkerApplication.class);
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
        return DeadLetters.create(kafka.buildProducerProperties(), "dump-worker").countedIn(meters);
    }

    @Bean
    TopicProvisioner topicProvisioner(KafkaProperties kafka, DumpWorkerProperties properties) {
        TopicProvisioner provisioner = new TopicProvisioner(kafka.buildAdminProperties(), properties.topics());
        provisioner.ensure(DumpWorkerTopics.DECLARED.all());
        return provisioner;
    }

    @Bean
    DumpRepository dumpRepository(DumpWorkerProperties properties) {
        return new FilesystemDumpRepository(properties.repository());
    }

    @Bean(destroyMethod = "close")
    StagingSweeper stagingSweeper(DumpRepository repository, DumpWorkerProperties properties) {
        StagingSweeper sweeper = new StagingSweeper(repository, properties.leaseStaleAfter(), properties.abandonedWriteAge());
        sweeper.start();
        return sweeper;
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<ServerConfig> serverCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_SERVERS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean
    CacheReadiness configCacheHealthIndicator(CompactedTopicCache<ServerConfig> servers) {
        return new CacheReadiness(List.of(servers));
    }

    @Bean(destroyMethod = "close")
    Producer<String, Object> eventProducer(KafkaProperties kafka) {
        return WorkerProducers.events(kafka.buildProducerProperties());
    }

    @Bean(destroyMethod = "close")
    TickConsumer tickConsumer(KafkaProperties kafka, Producer<String, Object> eventProducer,
            CompactedTopicCache<ServerConfig> servers, DumpRepository repository, Clock clock, DeadLetters deadLetters,
            DumpWorkerProperties properties, FleetMeters meters) {
        ActivityReporter activity = new ActivityReporter(eventProducer, "dump-worker/" + properties.instanceId(), clock);
        DumpExecutor executor = new DumpExecutor(repository, activity, clock, properties);
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        TickConsumer ticks = new TickConsumer(consumer, AvroDeserializer.<DumpRequested>forSpecificValues(consumer),
                eventProducer, deadLetters, servers, repository, executor, clock, properties, new OutcomeMeters(meters));
        meters.gauge(Metric.DUMPS_RUNNING, ticks::runningCount);
        meters.gauge(Metric.DUMP_SLOTS, properties::maxConcurrentDumps);
        ticks.start();
        return ticks;
    }

    @Bean
    FleetMeters fleetMeters(MeterRegistry registry) {
        return new FleetMeters(registry);
    }

    /** The lag of this worker's two consumer groups. */
    @Bean(destroyMethod = "close")
    ConsumerLag consumerLag(KafkaProperties kafka, TopicProvisioner topics, FleetMeters meters, DumpWorkerProperties properties) {
        return new ConsumerLag(kafka.buildAdminProperties(), Map.of(
                TickConsumer.groupId(properties.workerPool()), List.of(Topics.SCHEDULE_TICKS.name()),
                ExpiryConsumer.GROUP, List.of(Topics.CATALOG_EVENTS.name())), meters).start(properties.topics().lagEvery());
    }

    @Bean(destroyMethod = "close")
    ExpiryConsumer expiryConsumer(KafkaProperties kafka, Producer<String, Object> eventProducer, DumpRepository repository,
            Clock clock, DeadLetters deadLetters, DumpWorkerProperties properties) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        ExpiryConsumer expiry = new ExpiryConsumer(consumer, AvroDeserializer.<CatalogEvent>forSpecificValues(consumer),
                eventProducer, deadLetters, repository, clock, properties);
        expiry.start();
        return expiry;
    }
}
