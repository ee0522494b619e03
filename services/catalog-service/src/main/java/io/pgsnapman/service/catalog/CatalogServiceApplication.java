package io.pgsnapman.service.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.apisecurity.ApiTokens;
import io.pgsnapman.apisecurity.BearerTokenSecurity;
import io.pgsnapman.configcache.CacheReadiness;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.metrics.ConsumerLag;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.api.InUseMarker;
import io.pgsnapman.service.catalog.dashboard.ActivityFeed;
import io.pgsnapman.service.catalog.fleet.FleetEntry;
import io.pgsnapman.service.catalog.fleet.FleetGauges;
import io.pgsnapman.service.catalog.fleet.FleetView;
import io.pgsnapman.service.catalog.ingest.ListenerConfiguration;
import io.pgsnapman.service.catalog.maintenance.CatalogEvents;
import io.pgsnapman.service.catalog.maintenance.RepositoryMaintenance;
import io.pgsnapman.service.catalog.notify.HttpSender;
import io.pgsnapman.service.catalog.notify.MailSender;
import io.pgsnapman.service.catalog.notify.Notifier;
import io.pgsnapman.service.catalog.retention.RetentionService;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.pgsnapman.service.catalog.settings.MaintenanceProperties;
import io.pgsnapman.service.catalog.settings.NotificationProperties;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.pgsnapman.service.catalog.store.FleetStore;
import io.pgsnapman.service.catalog.store.NotificationStore;
import io.pgsnapman.service.catalog.store.RetentionStore;
import io.pgsnapman.service.catalog.store.VerificationStore;
import io.pgsnapman.service.catalog.verification.VerificationService;
import io.pgsnapman.topicadmin.TopicProvisioner;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Entry point of catalog-service: the catalog of every dump, fed from Kafka, with its REST API. */
@SpringBootApplication
@EnableConfigurationProperties(CatalogServiceProperties.class)
@Import(BearerTokenSecurity.class)
@OpenAPIDefinition(info = @Info(title = "PgSnapMan catalog API", version = "v1",
        description = "Every dump PgSnapMan took, with its outcome, sizes, checksums and verification. Bearer tokens: "
                + "viewer reads, admin rebuilds the catalog from the repository."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class CatalogServiceApplication {

    private static final Logger log = LoggerFactory.getLogger(CatalogServiceApplication.class);

    static {
        AvroTrust.trustEventClasses();
    }

    /** The service's configuration file is {@code catalog-service.yml}, so services can share a classpath (tests). */
    public static final String CONFIG_NAME = "catalog-service";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(CatalogServiceApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ApiTokens apiTokens(CatalogServiceProperties properties) {
        return BearerTokenSecurity.tokens(properties.auth());
    }

    /**
     * Reading is for viewers, pinning and asking for a test restore for operators; everything else (rebuild, garbage
     * collection, check) for admins.
     */
    @Bean
    BearerTokenSecurity.Rules apiRules() {
        return api -> api.requestMatchers(HttpMethod.HEAD, "/api/**").hasRole("VIEWER")
                .requestMatchers("/api/v1/pins/**").hasRole("OPERATOR")
                .requestMatchers(HttpMethod.POST, "/api/v1/verifications").hasRole("OPERATOR")
                .requestMatchers(HttpMethod.GET, "/dashboard", "/dashboard/", "/dashboard/*").permitAll();
    }

    @Bean
    @ConditionalOnProperty("pgsnapman.catalog.repository")
    DumpRepository dumpRepository(CatalogServiceProperties properties) {
        return new FilesystemDumpRepository(properties.repository());
    }

    /** Where this service's consumers send what they cannot read or process, one set of headers for all. */
    @Bean(destroyMethod = "close")
    DeadLetters deadLetters(KafkaProperties kafka, MeterRegistry meters) {
        return DeadLetters.create(kafka.buildProducerProperties(), "catalog-service").countedIn(meters);
    }

    @Bean
    TopicProvisioner topicProvisioner(KafkaProperties kafka, CatalogServiceProperties properties) {
        TopicProvisioner provisioner = new TopicProvisioner(kafka.buildAdminProperties(), properties.topics());
        provisioner.ensure(CatalogTopics.DECLARED.all());
        return provisioner;
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<RestoreJobConfig> restoreJobCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_RESTORE_JOBS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean(destroyMethod = "close")
    CompactedTopicCache<DumpJobConfig> dumpJobCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_DUMP_JOBS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    /** Verification servers, for placing test restores. */
    @Bean(destroyMethod = "close")
    CompactedTopicCache<ServerConfig> serverCache(KafkaProperties kafka, TopicProvisioner topics,
            DeadLetters deadLetters, MeterRegistry meters) {
        return CompactedTopicCache.start(Topics.CONFIG_SERVERS, kafka.buildConsumerProperties(), deadLetters)
                .measuredIn(meters);
    }

    @Bean
    CacheReadiness configCacheHealthIndicator(CompactedTopicCache<RestoreJobConfig> restoreJobs,
            CompactedTopicCache<DumpJobConfig> dumpJobs, CompactedTopicCache<ServerConfig> servers) {
        return new CacheReadiness(List.of(restoreJobs, dumpJobs, servers));
    }

    @Bean
    VerificationService verificationService(VerificationStore verifications, CatalogStore store,
            CompactedTopicCache<DumpJobConfig> dumpJobs, CompactedTopicCache<ServerConfig> servers, CatalogEvents events,
            KafkaTemplate<String, Object> kafka, Clock clock, CatalogServiceProperties properties, FleetMeters meters,
            Notifier notifier) {
        String source = "catalog-service/" + properties.instanceId();
        return new VerificationService(verifications, store, dumpJobs, servers, events, kafka,
                new ActivityReporter(kafka.getProducerFactory().createProducer(), source, clock), clock, source,
                properties.verification().answerTimeout(), meters, notifier);
    }

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
    FleetGauges fleetGauges(FleetView view, CompactedTopicCache<DumpJobConfig> dumpJobs, FleetMeters meters) {
        return new FleetGauges(view, dumpJobs, meters);
    }

    /**
     * Judges the fleet from start on, every {@code metrics-every}: the per-job gauges, and a notification for each job
     * whose backup is missing.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService fleetSchedule(FleetView view, FleetGauges gauges, Notifier notifier,
            CatalogServiceProperties properties) {
        return every("fleet", Duration.ZERO, properties.metricsEvery(), () -> {
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
        return every("notifications", every, every, notifier::dispatch);
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

    /** Places planned test restores on verification servers as they free up, and ends unanswered ones. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService verificationSchedule(VerificationService verification, CatalogServiceProperties properties) {
        Duration every = properties.verification().dispatchEvery();
        return every("verification-dispatch", every, every, verification::dispatch);
    }

    @Bean
    RetentionService retentionService(RetentionStore dumps, CompactedTopicCache<DumpJobConfig> dumpJobs, InUseMarker inUse,
            CatalogEvents events, Clock clock, CatalogServiceProperties properties, FleetMeters meters) {
        return new RetentionService(dumps, dumpJobs, inUse, events, clock, properties.retention().deletedJobGrace(), meters);
    }

    @Bean
    CatalogEvents catalogEvents(KafkaTemplate<String, Object> kafka, CatalogServiceProperties properties, Clock clock) {
        return new CatalogEvents(kafka, "catalog-service/" + properties.instanceId(), clock);
    }

    @Bean
    RepositoryMaintenance repositoryMaintenance(Optional<DumpRepository> repository, CatalogStore store,
            CatalogEvents events, RetentionService retention, Clock clock, CatalogServiceProperties properties) {
        MaintenanceProperties m = properties.maintenance();
        return new RepositoryMaintenance(repository, store, events, retention, clock, m.checkEvery(),
                m.checkReadDataPercent(), m.gcEvery(), m.gcGrace(), properties.retention().every());
    }

    /** Looks every minute whether the repository's collection or check, or a retention pass, is due. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService maintenanceSchedule(RepositoryMaintenance maintenance) {
        return every("repository-maintenance", Duration.ofMinutes(1), Duration.ofMinutes(1), maintenance::runDue);
    }

    /**
     * Runs {@code work} on a daemon thread of that name, {@code delay} after each run ends (the first after
     * {@code first}); a run that throws is logged, and the next runs as planned.
     */
    private static ScheduledExecutorService every(String name, Duration first, Duration delay, Runnable work) {
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("scheduled {} failed, tried again in {}: {}", name, delay, e.getMessage(), e);
            }
        }, first.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    @Bean
    InUseMarker inUseMarker(CompactedTopicCache<RestoreJobConfig> restoreJobs, CatalogStore store) {
        return new InUseMarker(restoreJobs, store);
    }
}
