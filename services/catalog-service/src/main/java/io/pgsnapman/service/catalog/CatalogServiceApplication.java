package io.pgsnapman.service.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.apisecurity.ApiTokens;
import io.pgsnapman.apisecurity.BearerTokenSecurity;
import io.pgsnapman.configcache.CacheReadiness;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.api.InUseMarker;
import io.pgsnapman.service.catalog.maintenance.CatalogEvents;
import io.pgsnapman.service.catalog.maintenance.RepositoryMaintenance;
import io.pgsnapman.service.catalog.notify.Notifier;
import io.pgsnapman.service.catalog.retention.RetentionService;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.pgsnapman.service.catalog.settings.MaintenanceProperties;
import io.pgsnapman.service.catalog.store.CatalogStore;
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
import java.util.concurrent.ScheduledExecutorService;
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

/** Entry point of catalog-service: the catalog of every dump, fed from Kafka, with its REST API. */
@SpringBootApplication
@EnableConfigurationProperties(CatalogServiceProperties.class)
@Import(BearerTokenSecurity.class)
@OpenAPIDefinition(info = @Info(title = "PgSnapMan catalog API", version = "v1",
        description = "Every dump PgSnapMan took, with its outcome, sizes, checksums and verification. Bearer tokens: "
                + "viewer reads, admin rebuilds the catalog from the repository."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class CatalogServiceApplication {

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

    /** Places planned test restores on verification servers as they free up, and ends unanswered ones. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService verificationSchedule(VerificationService verification, CatalogServiceProperties properties) {
        Duration every = properties.verification().dispatchEvery();
        return Schedules.every("verification-dispatch", every, every, verification::dispatch);
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
        return Schedules.every("repository-maintenance", Duration.ofMinutes(1), Duration.ofMinutes(1), maintenance::runDue);
    }

    @Bean
    InUseMarker inUseMarker(CompactedTopicCache<RestoreJobConfig> restoreJobs, CatalogStore store) {
        return new InUseMarker(restoreJobs, store);
    }
}
