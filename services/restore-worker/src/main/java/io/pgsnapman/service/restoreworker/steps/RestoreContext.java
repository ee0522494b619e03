package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.PgToolset;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.Manifest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore as the steps see it: the request, the validated dump and target, the outcome being built, and what
 * each step leaves for the next (the tools, the open admin connection to the target, whether the target exists,
 * the {@link RestoreMode}, the database being filled). Closing it lets the dump's files go and closes the admin
 * connection.
 */
public final class RestoreContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestoreContext.class);

    final RestoreRequested request;
    final DumpReader dump;
    final Manifest manifest;
    final ServerConfig target;
    /** The GLOBALS or CLUSTER_SCHEMA_ONLY dump the roles come from; null for none. */
    final DumpReader rolesDump;
    final RestoreOptions options;
    /** The target database's name. */
    final String database;
    final ActivityReporter.Subject subject;
    final RestoreCompleted.Builder result;
    /** The comment that marks the temporary database as this request's (see the worker's temporary-database sweeper). */
    final String temporaryMark;

    /** The dump's checked files, held from the first step to the end of the restore. */
    SharedDumpFiles.Held held;
    PgToolset tools;
    PgConnection maintenance;
    Connection admin;
    boolean exists;
    RestoreMode mode;
    /** The database being filled: the target itself, or a temporary one. */
    String into;
    /** The restore job's hooks, from its configuration; empty when none or no job. */
    RestoreHooks hooks = RestoreHooks.newBuilder().build();
    /** A SCRIPT restore's script (the job's), which loads the dump instead of pg_restore; null for pg_restore. */
    String scriptName;

    /**
     * @param result the outcome, filled by the steps (e.g. the renamed previous database, the row checks)
     */
    public RestoreContext(RestoreRequested request, DumpReader dump, ServerConfig target, DumpReader rolesDump,
            ActivityReporter.Subject subject, RestoreCompleted.Builder result, String temporaryMark) {
        this.request = request;
        this.dump = dump;
        this.manifest = dump.manifest();
        this.target = target;
        this.rolesDump = rolesDump;
        this.options = request.getOptions();
        this.database = request.getTargetDatabaseName();
        this.subject = subject;
        this.result = result;
        this.temporaryMark = temporaryMark;
    }

    /** Restores as the restore job says (its hooks and script); null: a request without a job, none. */
    public RestoreContext withJob(RestoreJobConfig job) {
        if (job != null) {
            this.hooks = job.getHooks();
            this.scriptName = job.getScriptName();
        }
        return this;
    }

    /** Where the dump's checked files are for pg_restore (the dump itself, or its rebuilt copy). */
    Path files() {
        return held.directory();
    }

    void releaseFiles() {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    @Override
    public void close() {
        releaseFiles();
        if (admin != null) {
            try {
                admin.close();
            } catch (SQLException e) {
                log.debug("closing the admin connection of {}: {}", request.getRestoreRequestId(), e.getMessage());
            }
            admin = null;
        }
    }
}
