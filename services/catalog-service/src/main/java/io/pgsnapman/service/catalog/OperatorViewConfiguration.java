package io.pgsnapman.service.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.metrics.ConsumerLag;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.dashboard.ActivityFeed;
import io.pgsnapman.service.catalog.fleet.FleetEntry;
import io.pgsnapman.service.catalog.fleet.FleetGauges;
import io.pgsnapman.service.catalog.fleet.FleetView;
import io.pgsnapman.service.catalog.ingest.ListenerConfiguration;
import io.pgsnapman.service.catalog.notify.HttpSender;
import io.pgsnapman.service.catalog.notify.MailSender;
import io.pgsnapman.service.catalog.notify.Notifier;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.pgsnapman.service.catalog.settings.NotificationProperties;
import io.pgsnapman.service.catalog.store.FleetStore;
import io.pgsnapman.service.catalog.store.NotificationStore;
import io.pgsnapman.topicadmin.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * What catalog-service shows and tells operators, wired apart from the catalog itself: the fleet's meters and
 * judgement (gauges, missing backups), notifications and their delivery, the dashboard's activity feed, and the lag
 * of the catalog's consumer group.
 */
@Configuration
public class OperatorViewConfiguration {

    @Bean
    FleetMeters fleetMeters(MeterRegistry registry) {
        return new FleetMeters(registry);
    }

    @Bean
    FleetView fleetView(FleetStore store, CompactedTopicCache<DumpJobConfig> dumpJobs,
            CompactedTopicCache<ServerConfig> servers, Clock clock) {
        return new FleetView(store, dumpJobs, servers, clock);
    }

    @Bean
    FleetGauges fleetGauges(CompactedTopicCache<DumpJobConfig> dumpJobs, FleetMeters meters) {
        return new FleetGauges(dumpJobs, meters);
    }

    /**
     * Judges the fleet from start on, every {@code metrics-every}: the per-job gauges, and a notification for each job
     * whose backup is missing.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService fleetSchedule(FleetView view, FleetGauges gauges, Notifier notifier,
            CatalogServiceProperties properties) {
        return Schedules.every("fleet", Duration.ZERO, properties.metricsEvery(), () -> {
            List<FleetEntry> fleet = view.entries();
            gauges.refresh(fleet);
            notifier.missingBackups(fleet);
        });
    }

    @Bean
    Notifier notifier(NotificationStore store, CompactedTopicCache<DumpJobConfig> dumpJobs,
            CompactedTopicCache<ServerConfig> servers, FleetMeters meters, Clock clock, JsonMapper json,
            CatalogServiceProperties properties) {
        NotificationProperties settings = properties.notifications();
        HttpSender http = new HttpSender(json, settings.timeout());
        Notifier notifier = new Notifier(store, settings, Map.of(NotificationProperties.Type.WEBHOOK, http,
                NotificationProperties.Type.SLACK, http, NotificationProperties.Type.EMAIL, new MailSender(settings.smtp(), settings.timeout())),
                id -> servers.get(id).map(ServerConfig::getName).orElse(null),
                id -> dumpJobs.get(id).map(DumpJobConfig::getName).orElse(null), meters, clock, RandomGenerator.getDefault(), json);
        meters.gauge(Metric.NOTIFICATIONS_PENDING, notifier::pending);
        return notifier;
    }

    /** Delivers due notifications every {@code notifications.dispatch-every}. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService notificationSchedule(Notifier notifier, CatalogServiceProperties properties) {
        Duration every = properties.notifications().dispatchEvery();
        return Schedules.every("notifications", every, every, notifier::dispatch);
    }

    /** The activity topic's tail, for the dashboard's live stream. */
    @Bean(destroyMethod = "close")
    ActivityFeed activityFeed(KafkaProperties kafka, TopicProvisioner topics, DeadLetters deadLetters,
            CatalogServiceProperties properties) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        return new ActivityFeed(consumer, AvroDeserializer.<ActivityEvent>forSpecificValues(consumer),
                deadLetters.as("catalog-service/activity-feed"), properties.dashboard().recentEvents()).start();
    }

    /** The lag of the catalog's consumer group. */
    @Bean(destroyMethod = "close")
    ConsumerLag consumerLag(KafkaProperties kafka, TopicProvisioner topics, FleetMeters meters,
            CatalogServiceProperties properties) {
        return new ConsumerLag(kafka.buildAdminProperties(), Map.of(ListenerConfiguration.GROUP, List.of(
                Topics.DUMP_COMPLETED.name(), Topics.RESTORE_COMPLETED.name(), Topics.CATALOG_EVENTS.name())), meters)
                .start(properties.topics().lagEvery());
    }

}
