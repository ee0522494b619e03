package io.pgsnapman.service.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.configcache.CacheReadiness;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.eventlisteners.AvroListeners;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.schedule.SchedulerProgress;
import io.pgsnapman.metrics.ConsumerLag;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.scheduler.settings.SchedulerProperties;
import io.pgsnapman.topicadmin.TopicProvisioner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Entry point of scheduler-service: rebuilds servers, dump jobs and restore jobs from the config topics
 * (config-service need not run), fires cron ticks as the elected leader among its replicas, and fans each
 * finished dump out to the restores it triggers.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(SchedulerProperties.class)
public class SchedulerServiceApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    /** The service's configuration file is {@code scheduler-service.yml}, so services can share a classpath (tests). */
    public static final String CONFIG_NAME = "scheduler-service";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SchedulerServiceApplication.class);
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
        return DeadLetters.create(kafka.buildProducerProperties(), "scheduler-service").countedIn(meters);
    }

    @Bean
    TopicProvisioner topicProvisioner(KafkaProperties kafka, SchedulerProperties properties) {
        TopicProvisioner provisioner = new TopicProvisioner(kafka.buildAdminProperties(), properties.topics());
        provisioner.ensure(SchedulerTopics.DECLARED.all());
        return provisioner;
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<ServerConfig> serverCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_SERVERS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<DumpJobConfig> dumpJobCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_DUMP_JOBS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<RestoreJobConfig> restoreJobCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_RESTORE_JOBS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean
    CacheReadiness configCacheHealthIndicator(CompactedTopicCache<ServerConfig> servers,
            CompactedTopicCache<DumpJobConfig> dumpJobs, CompactedTopicCache<RestoreJobConfig> restoreJobs) {
        return new CacheReadiness(List.of(servers, dumpJobs, restoreJobs));
    }

    @Bean
    DefaultKafkaProducerFactory<Object, Object> deadLetterProducers(KafkaProperties kafka) {
        return AvroListeners.deadLetterProducers(kafka);
    }

    /** Dump outcomes are read with retries, then the dead-letter topic. */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, Object> kafkaListenerContainerFactory(KafkaProperties kafka,
            SchedulerProperties properties, DefaultKafkaProducerFactory<Object, Object> deadLetterProducers,
            DeadLetters deadLetters) {
        return AvroListeners.containerFactory(kafka, properties.retries(), deadLetterProducers, deadLetters, "scheduler-service");
    }

    @Bean(destroyMethod = "close")
    SchedulerEngine schedulerEngine(CompactedTopicCache<ServerConfig> servers, CompactedTopicCache<DumpJobConfig> dumpJobs,
            CompactedTopicCache<RestoreJobConfig> restoreJobs, KafkaProperties kafka, Clock clock, SchedulerProperties properties,
            TaskScheduler taskScheduler, DeadLetters deadLetters, FleetMeters meters) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        SchedulerEngine engine = new SchedulerEngine(servers, dumpJobs, restoreJobs, consumer, kafka.buildProducerProperties(),
                AvroDeserializer.<SchedulerProgress>forSpecificValues(consumer), deadLetters, clock, properties, meters);
        meters.gauge(Metric.SCHEDULER_LEADER, () -> engine.isLeader() ? 1 : 0);
        engine.start();
        taskScheduler.scheduleWithFixedDelay(engine::fireDueTicks, properties.tickInterval());
        return engine;
    }

    @Bean
    FleetMeters fleetMeters(MeterRegistry registry) {
        return new FleetMeters(registry);
    }

    /** The lag of the fan-out group (the leader election's group commits nothing). */
    @Bean(destroyMethod = "close")
    ConsumerLag consumerLag(KafkaProperties kafka, TopicProvisioner topics, FleetMeters meters, SchedulerProperties properties) {
        return new ConsumerLag(kafka.buildAdminProperties(), Map.of(FanOutListener.GROUP, List.of(Topics.DUMP_COMPLETED.name())),
                meters).start(properties.topics().lagEvery());
    }
}
