package io.pgsnapman.service.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.apisecurity.ApiTokens;
import io.pgsnapman.apisecurity.BearerTokenSecurity;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.service.config.autojobs.AutoDumpJobScanner;
import io.pgsnapman.service.config.outbox.OutboxRelay;
import io.pgsnapman.service.config.settings.ConfigServiceProperties;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of config-service: the configuration database, its REST API, and the config topics. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ConfigServiceProperties.class)
@Import(BearerTokenSecurity.class)
@OpenAPIDefinition(info = @Info(title = "PgSnapMan configuration API", version = "v1",
        description = "Servers, dump jobs and restore jobs of PgSnapMan. Every change is published to the compacted "
                + "pgsnapman.config.* topics. Bearer tokens: viewer reads, operator also dumps now, admin also changes."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class ConfigServiceApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    /** The service's configuration file is {@code config-service.yml}, so services can share a classpath (tests). */
    public static final String CONFIG_NAME = "config-service";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ConfigServiceApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }

    @Bean
    ApiTokens apiTokens(ConfigServiceProperties properties) {
        return BearerTokenSecurity.tokens(properties.auth());
    }

    /** Besides reading (viewer) and changing configuration (admin): operators may ask for a dump or restore now. */
    @Bean
    BearerTokenSecurity.Rules apiRules() {
        return api -> api.requestMatchers(HttpMethod.POST, "/api/v1/dump-jobs/*/dump-now", "/api/v1/restore-jobs/*/restore-now")
                .hasRole("OPERATOR");
    }

    /** The outbox's backlog, read from the database when scraped: a relay that stalls shows as a growing age. */
    @Bean
    FleetMeters fleetMeters(MeterRegistry registry, OutboxRelay relay) {
        FleetMeters meters = new FleetMeters(registry);
        meters.gauge(Metric.OUTBOX_PENDING, relay::waiting);
        meters.gauge(Metric.OUTBOX_OLDEST_AGE, relay::oldestAgeSeconds);
        return meters;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Relays the outbox every poll interval from one interval after start (whose first round creates this
     * service's topics; a commit nudges it sooner) and scans for new databases on a schedule. Neither waits
     * for Kafka: the API takes changes while Kafka is down.
     */
    @Bean
    ApplicationRunner startBackgroundWork(ConfigServiceProperties properties, OutboxRelay relay,
            AutoDumpJobScanner scanner, TaskScheduler scheduler) {
        return args -> {
            Duration poll = properties.outbox().pollInterval();
            scheduler.scheduleWithFixedDelay(() -> relay.relayAll(properties.outbox().batchSize()),
                    scheduler.getClock().instant().plus(poll), poll);
            if (properties.autoDumpJobs().enabled()) {
                scheduler.scheduleWithFixedDelay(scanner::scan, properties.autoDumpJobs().interval());
            }
        };
    }
}
