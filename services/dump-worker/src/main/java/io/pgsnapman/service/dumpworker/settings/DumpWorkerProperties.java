package io.pgsnapman.service.dumpworker.settings;

import io.pgsnapman.topicadmin.TopicSettings;
import io.pgsnapman.workconsumer.FailurePolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of dump-worker, under {@code pgsnapman.dump-worker}. Kafka and the registry use Spring Boot's
 * {@code spring.kafka.*} keys.
 *
 * @param instanceId         this replica's name in events and leases
 * @param workerPool         the pool this worker serves: it takes only ticks of servers in this pool
 * @param repository         root directory of the dump repository (shared by all workers of the pool)
 * @param credentialsDir     directory of credential files (a mounted Secret); absent: environment and .pgpass only
 * @param maxConcurrentDumps dumps this worker runs at once
 * @param toolTimeout        longest a pg_dump may run before it is killed and the dump FAILED
 * @param scriptsDir         the only directory SCRIPT jobs' and hooks' script names are looked up in (a mounted
 *                           volume); absent: every script name is refused (UNKNOWN_SCRIPT)
 * @param scriptTimeout      longest a script or a hook (script or SQL) may run before it is killed and the dump FAILED
 * @param scriptsWorkDir     where each script run gets its own directory (its HOME, TMPDIR and PGPASSFILE), removed
 *                           when it ends; default: {@code pgsnapman-scripts} under the JVM's temporary directory
 * @param progressInterval   how often progress is reported on the activity topic
 * @param leaseStaleAfter    a dump or server slot lease not renewed for this long belongs to a crashed worker
 * @param abandonedWriteAge  staging leftovers that belong to no dump (moved-aside deletions, taken-over leases) older
 *                           than this are removed; a dump's own partial write goes once its lease is stale
 * @param exactRowCounts     count every table's rows in the dump's own snapshot (read while pg_dump runs; one
 *                           extra scan of each table) so restores can prove they are complete; off: planner
 *                           estimates only, and restores skip the row check
 * @param unknownServerGrace how long a tick for a server the worker does not know waits for its configuration to
 *                           arrive before it is refused (FAILED, SERVER_UNAVAILABLE)
 * @param failures           how often a dump whose work throws (not one that ends FAILED) is tried before its
 *                           record goes to the dead-letter topic: attempts, deadline, backoff, jitter
 * @param topics             how missing topics are created
 */
@ConfigurationProperties("pgsnapman.dump-worker")
@Validated
public record DumpWorkerProperties(
        @DefaultValue("dump-worker") @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String instanceId,
        @DefaultValue("default") @NotBlank String workerPool,
        @NotNull Path repository,
        Path credentialsDir,
        @DefaultValue("2") @Min(1) @Max(64) int maxConcurrentDumps,
        @DefaultValue("24h") @NotNull Duration toolTimeout,
        Path scriptsDir,
        @DefaultValue("1h") @NotNull Duration scriptTimeout,
        Path scriptsWorkDir,
        @DefaultValue("5s") @NotNull Duration progressInterval,
        @DefaultValue("2m") @NotNull Duration leaseStaleAfter,
        @DefaultValue("12h") @NotNull Duration abandonedWriteAge,
        @DefaultValue("true") boolean exactRowCounts,
        @DefaultValue("30s") @NotNull Duration unknownServerGrace,
        @DefaultValue @Valid FailurePolicy failures,
        @DefaultValue @Valid TopicSettings topics) {

    public DumpWorkerProperties {
        if (scriptsWorkDir == null) {
            scriptsWorkDir = Path.of(System.getProperty("java.io.tmpdir"), "pgsnapman-scripts");
        }
    }
}
