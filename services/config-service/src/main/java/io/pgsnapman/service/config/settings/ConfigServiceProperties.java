package io.pgsnapman.service.config.settings;

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
 * Settings of config-service, under {@code pgsnapman.config-service}. Kafka, the schema registry and the
 * configuration database use Spring Boot's own keys ({@code spring.kafka.*}, {@code spring.datasource.*}).
 *
 * @param instanceId     this replica's name in event headers ({@code producer})
 * @param auth           API tokens ({@code viewer} reads, {@code operator} also dumps now, {@code admin} also changes)
 * @param outbox         relay of committed changes to Kafka
 * @param topics         how missing topics are created
 * @param autoDumpJobs   discovery of new databases on servers with an auto dump job rule
 * @param credentialsDir directory of credential files (a mounted Secret), used by auto dump jobs to list databases
 */
@ConfigurationProperties("pgsnapman.config-service")
@Validated
public record ConfigServiceProperties(
        @DefaultValue("config-service") @NotBlank String instanceId,
        @DefaultValue @Valid ApiAuthProperties auth,
        @DefaultValue @Valid Outbox outbox,
        @DefaultValue @Valid TopicSettings topics,
        @DefaultValue @Valid AutoDumpJobs autoDumpJobs,
        Path credentialsDir) {

    /**
     * @param pollInterval how often the relay looks for committed changes
     * @param batchSize    most changes published per round
     */
    public record Outbox(
            @DefaultValue("200ms") @NotNull Duration pollInterval,
            @DefaultValue("200") @Min(1) @Max(10_000) int batchSize) {}


    /**
     * @param enabled  whether servers are scanned for new databases
     * @param interval time between scans
     */
    public record AutoDumpJobs(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5m") @NotNull Duration interval) {}
}
