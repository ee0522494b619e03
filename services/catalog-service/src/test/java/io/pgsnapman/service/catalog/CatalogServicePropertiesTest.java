package io.pgsnapman.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.service.catalog.notify.NotificationKind;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.pgsnapman.service.catalog.settings.DashboardProperties;
import io.pgsnapman.service.catalog.settings.MaintenanceProperties;
import io.pgsnapman.service.catalog.settings.NotificationProperties;
import io.pgsnapman.service.catalog.settings.RetentionProperties;
import io.pgsnapman.service.catalog.settings.VerificationProperties;
import io.pgsnapman.testsupport.PropertiesBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogServicePropertiesTest {

    private static final String PREFIX = "pgsnapman.catalog";

    @Test
    void everyKeyIsBound() {
        CatalogServiceProperties p = PropertiesBinding.bind(PREFIX, CatalogServiceProperties.class, Map.ofEntries(
                Map.entry(PREFIX + ".instance-id", "cat-1"),
                Map.entry(PREFIX + ".auth.tokens[0].name", "dash"),
                Map.entry(PREFIX + ".auth.tokens[0].role", "viewer"),
                Map.entry(PREFIX + ".auth.tokens[0].token", "0123456789abcdef"),
                Map.entry(PREFIX + ".auth.tokens-file", "/secrets/tokens"),
                Map.entry(PREFIX + ".repository", "/data/repo"),
                Map.entry(PREFIX + ".maintenance.check-every", "3d"),
                Map.entry(PREFIX + ".maintenance.check-read-data-percent", "25"),
                Map.entry(PREFIX + ".maintenance.gc-every", "6h"),
                Map.entry(PREFIX + ".maintenance.gc-grace", "2h"),
                Map.entry(PREFIX + ".retention.every", "2h"),
                Map.entry(PREFIX + ".retention.deleted-job-grace", "10d"),
                Map.entry(PREFIX + ".verification.dispatch-every", "5s"),
                Map.entry(PREFIX + ".verification.answer-timeout", "6h"),
                Map.entry(PREFIX + ".metrics-every", "10s"),
                Map.entry(PREFIX + ".dashboard.recent-events", "500"),
                Map.entry(PREFIX + ".dashboard.stream-timeout", "10m"),
                Map.entry(PREFIX + ".dashboard.heartbeat", "5s"),
                Map.entry(PREFIX + ".notifications.destinations[0].name", "dba"),
                Map.entry(PREFIX + ".notifications.destinations[0].type", "EMAIL"),
                Map.entry(PREFIX + ".notifications.destinations[0].to[0]", "dba@example.com"),
                Map.entry(PREFIX + ".notifications.destinations[0].kinds", "DUMP_FAILED,BACKUP_MISSING"),
                Map.entry(PREFIX + ".notifications.destinations[0].servers", "srv-1"),
                Map.entry(PREFIX + ".notifications.destinations[0].dump-jobs", "job-1,job-2"),
                Map.entry(PREFIX + ".notifications.destinations[1].name", "hook"),
                Map.entry(PREFIX + ".notifications.destinations[1].type", "SLACK"),
                Map.entry(PREFIX + ".notifications.destinations[1].url", "https://hooks.example.com/T/B/x"),
                Map.entry(PREFIX + ".notifications.smtp.host", "smtp.example.com"),
                Map.entry(PREFIX + ".notifications.smtp.port", "587"),
                Map.entry(PREFIX + ".notifications.smtp.from", "pgsnapman@example.com"),
                Map.entry(PREFIX + ".notifications.smtp.username", "pgsnapman"),
                Map.entry(PREFIX + ".notifications.smtp.password-file", "/secrets/smtp"),
                Map.entry(PREFIX + ".notifications.smtp.start-tls", "true"),
                Map.entry(PREFIX + ".notifications.timeout", "3s"),
                Map.entry(PREFIX + ".notifications.dispatch-every", "1s"),
                Map.entry(PREFIX + ".notifications.attempts", "4"),
                Map.entry(PREFIX + ".notifications.first-retry", "5s"),
                Map.entry(PREFIX + ".notifications.max-retry", "1h"),
                Map.entry(PREFIX + ".retries", "5"),
                Map.entry(PREFIX + ".topics.partitions", "6"),
                Map.entry(PREFIX + ".topics.lag-every", "45s"),
                Map.entry(PREFIX + ".topics.replication-factor", "3")));

        assertThat(p.instanceId()).isEqualTo("cat-1");
        assertThat(p.auth().tokens()).singleElement().satisfies(t -> assertThat(t.role()).isEqualTo("viewer"));
        assertThat(p.auth().tokensFile()).isEqualTo(Path.of("/secrets/tokens"));
        assertThat(p.repository()).isEqualTo(Path.of("/data/repo"));
        assertThat(p.maintenance()).isEqualTo(new MaintenanceProperties(Duration.ofDays(3), 25, Duration.ofHours(6),
                Duration.ofHours(2)));
        assertThat(p.retention()).isEqualTo(new RetentionProperties(Duration.ofHours(2), Duration.ofDays(10)));
        assertThat(p.verification()).isEqualTo(new VerificationProperties(Duration.ofSeconds(5), Duration.ofHours(6)));
        assertThat(p.metricsEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.dashboard()).isEqualTo(new DashboardProperties(500, Duration.ofMinutes(10), Duration.ofSeconds(5)));
        NotificationProperties n = p.notifications();
        assertThat(n.destinations()).hasSize(2);
        assertThat(n.destinations().get(0).to()).containsExactly("dba@example.com");
        assertThat(n.destinations().get(0).kinds()).containsExactlyInAnyOrder(NotificationKind.DUMP_FAILED, NotificationKind.BACKUP_MISSING);
        assertThat(n.destinations().get(0).servers()).containsExactly("srv-1");
        assertThat(n.destinations().get(0).dumpJobs()).containsExactlyInAnyOrder("job-1", "job-2");
        assertThat(n.destinations().get(1).url()).hasToString("https://hooks.example.com/T/B/x");
        assertThat(n.smtp()).isEqualTo(new NotificationProperties.Smtp("smtp.example.com", 587, "pgsnapman@example.com", "pgsnapman",
                Path.of("/secrets/smtp"), true));
        assertThat(List.of(n.dispatchEvery(), n.firstRetry(), n.maxRetry()))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofHours(1));
        assertThat(n.attempts()).isEqualTo(4);
        assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.retries()).isEqualTo(5);
        assertThat(p.topics().partitions()).isEqualTo(6);
        assertThat(p.topics().lagEvery()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.topics().replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void maintenanceRunsWeeklyChecksReadingATenthAndDailyCollectionsByDefault() {
        CatalogServiceProperties p = PropertiesBinding.bind(PREFIX, CatalogServiceProperties.class, Map.of());
        assertThat(p.maintenance()).isEqualTo(new MaintenanceProperties(Duration.ofDays(7), 10, Duration.ofDays(1),
                Duration.ofHours(1)));
    }

    @Test
    void anEmailDestinationWithoutAMailServerIsRefusedNamingIt() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, CatalogServiceProperties.class, Map.of(
                PREFIX + ".notifications.destinations[0].name", "dba",
                PREFIX + ".notifications.destinations[0].type", "EMAIL",
                PREFIX + ".notifications.destinations[0].to[0]", "dba@example.com")))
                .hasStackTraceContaining("notification destination 'dba' is EMAIL but smtp.host is not set");
    }

    @Test
    void negativeRetriesAreRefused() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, CatalogServiceProperties.class, Map.of(PREFIX + ".retries", "-1")))
                .hasStackTraceContaining("retries");
    }
}
