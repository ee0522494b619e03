package io.pgsnapman.service.catalog.settings;

import io.pgsnapman.apisecurity.ApiAuthProperties;
import io.pgsnapman.topicadmin.TopicSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of catalog-service, under {@code pgsnapman.catalog}. The catalog database and Kafka use Spring
 * Boot's own keys.
 *
 * @param instanceId this replica's name
 * @param auth       API tokens ({@code viewer} reads the catalog, {@code admin} rebuilds it and collects and
 *                   checks the repository)
 * @param repository root of the dump repository, for the rebuild, garbage collection and the repository check
 *                   (absent: those are unavailable)
 * @param maintenance when the repository is collected and checked without being asked
 * @param retention  how often retention runs by itself, and how long a deleted job's dumps stay
 * @param verification how often planned test restores are placed, and how long one may go unanswered
 * @param dashboard  the operator dashboard's activity stream
 * @param notifications where failed dumps, failed verifications, missing backups and rejected or failed restores are
 *                   sent, and how deliveries are retried
 * @param metricsEvery how often the per-job gauges (newest verified dump's age, kept dumps, stored bytes) are
 *                   recomputed from the catalog
 * @param retries    attempts for a record whose processing fails before it goes to the dead-letter topic
 * @param topics     how missing topics are created
 */
@ConfigurationProperties("pgsnapman.catalog")
@Validated
public record CatalogServiceProperties(
        @DefaultValue("catalog-service") @NotBlank String instanceId,
        @DefaultValue @Valid ApiAuthProperties auth,
        Path repository,
        @DefaultValue @Valid MaintenanceProperties maintenance,
        @DefaultValue @Valid RetentionProperties retention,
        @DefaultValue @Valid VerificationProperties verification,
        @DefaultValue @Valid DashboardProperties dashboard,
        @DefaultValue @Valid NotificationProperties notifications,
        @DefaultValue("30s") @NotNull Duration metricsEvery,
        @DefaultValue("3") @Min(0) @Max(100) int retries,
        @DefaultValue @Valid TopicSettings topics) {

}
