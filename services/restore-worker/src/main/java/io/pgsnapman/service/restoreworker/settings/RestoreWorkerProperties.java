package io.pgsnapman.service.restoreworker.settings;

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
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of restore-worker, under {@code pgsnapman.restore-worker}. Kafka and the registry use Spring
 * Boot's {@code spring.kafka.*} keys.
 *
 * @param instanceId             this replica's name in events and leases
 * @param workerPool             takes only requests whose target server is in this pool
 * @param repository             root of the dump repository (read only)
 * @param credentialsDir         credential files (a mounted Secret); absent: environment and .pgpass only
 * @param scratchDir             where the files of dumps kept as chunks are laid out for pg_restore (emptied at
 *                               start): small files written out, large ones as named pipes; a dump rebuilt whole
 *                               (DROP_BEFORE, TRUNCATE) takes its full size here; absent:
 *                               {@code <tmpdir>/pgsnapman-restore}
 * @param pipeFilesFrom          files of a chunked dump from this size on reach pg_restore through a named pipe, fed
 *                               from the chunks as it reads, instead of being rebuilt on disk first
 * @param maxConcurrentRestores  restores this worker runs at once (one per target server at a time)
 * @param maxConcurrentVerifications test restores (purpose VERIFY) this worker runs at once, besides and never in the
 *                               way of its restores: they are taken by a consumer group of their own
 * @param toolTimeout            longest a pg_restore may run before it is killed and the restore FAILED
 * @param scriptsDir             the only directory restore jobs' script and hook script names are looked up in (a
 *                               mounted volume); absent: every script name is refused (UNKNOWN_SCRIPT)
 * @param scriptTimeout          longest a script or a hook (script or SQL) may run before it is killed and the
 *                               restore FAILED
 * @param scriptsWorkDir         where each script run gets its own directory (its HOME, TMPDIR and PGPASSFILE),
 *                               removed when it ends; default: {@code pgsnapman-scripts} under the JVM's temporary
 *                               directory
 * @param leaseStaleAfter        a request lease not renewed this long belongs to a crashed worker
 * @param progressInterval       how often a running pg_restore's progress (bytes restored) goes to the activity topic
 * @param attempts               attempts of a restore whose failure is retriable (target unreachable, too many
 *                               connections, lock or deadlock, server restarting); 1 never tries again
 * @param retryDelay             wait before the second attempt, doubled before each further one
 * @param retryDelayMax          longest wait between two attempts
 * @param unknownTargetGrace     how long a request for a target server this worker does not know waits for the server's
 *                               configuration to arrive before it is answered REJECTED (UNKNOWN_TARGET) for good
 * @param failures           how often a restore whose work throws (not one that ends FAILED) is tried before its
 *                           record goes to the dead-letter topic: attempts, deadline, backoff, jitter
 * @param topics                 how missing topics are created
 */
@ConfigurationProperties("pgsnapman.restore-worker")
@Validated
public record RestoreWorkerProperties(
        @DefaultValue("restore-worker") @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String instanceId,
        @DefaultValue("default") @NotBlank String workerPool,
        @NotNull Path repository,
        Path credentialsDir,
        Path scratchDir,
        @DefaultValue("1MB") @NotNull DataSize pipeFilesFrom,
        @DefaultValue("2") @Min(1) @Max(64) int maxConcurrentRestores,
        @DefaultValue("1") @Min(1) @Max(64) int maxConcurrentVerifications,
        @DefaultValue("24h") @NotNull Duration toolTimeout,
        Path scriptsDir,
        @DefaultValue("1h") @NotNull Duration scriptTimeout,
        Path scriptsWorkDir,
        @DefaultValue("2m") @NotNull Duration leaseStaleAfter,
        @DefaultValue("5s") @NotNull Duration progressInterval,
        @DefaultValue("3") @Min(1) @Max(20) int attempts,
        @DefaultValue("30s") @NotNull Duration retryDelay,
        @DefaultValue("10m") @NotNull Duration retryDelayMax,
        @DefaultValue("30s") @NotNull Duration unknownTargetGrace,
        @DefaultValue @Valid FailurePolicy failures,
        @DefaultValue @Valid TopicSettings topics) {

    public RestoreWorkerProperties {
        if (scriptsWorkDir == null) {
            scriptsWorkDir = Path.of(System.getProperty("java.io.tmpdir"), "pgsnapman-scripts");
        }
    }

    /** This worker's own scratch directory: {@link #scratchDir()} (or the default) and the instance id. */
    public Path scratch() {
        Path base = scratchDir != null ? scratchDir : Path.of(System.getProperty("java.io.tmpdir"), "pgsnapman-restore");
        return base.resolve(instanceId);
    }
}
