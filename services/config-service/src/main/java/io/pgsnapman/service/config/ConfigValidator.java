package io.pgsnapman.service.config;

import io.pgsnapman.cron.BackupWindow;
import io.pgsnapman.cron.CronSchedule;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.scripts.Hook;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.service.config.api.DumpHooksSpec;
import io.pgsnapman.service.config.api.DumpJobSpec;
import io.pgsnapman.service.config.api.FieldProblem;
import io.pgsnapman.service.config.api.InvalidRequestException;
import io.pgsnapman.service.config.api.RestoreHooksSpec;
import io.pgsnapman.service.config.api.RestoreJobSpec;
import io.pgsnapman.service.config.api.ServerSpec;
import io.pgsnapman.service.config.store.ConfigStore;
import io.pgsnapman.service.config.store.Kind;
import io.pgsnapman.events.config.VerificationMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The rules single-field constraints cannot express: cron and time zone validity, backup window times,
 * which dump types need a database, references that must exist, unique names. Collects every problem
 * before refusing, so a client fixes all of them at once.
 */
@Component
class ConfigValidator {

    private final ConfigStore store;

    ConfigValidator(ConfigStore store) {
        this.store = store;
    }

    void server(ServerSpec spec, String id) {
        List<FieldProblem> problems = new ArrayList<>();
        uniqueName(Kind.SERVER, spec.name(), id, problems);
        if (spec.autoDumpJob() != null) {
            cron("autoDumpJob.cron", spec.autoDumpJob().cron(), problems);
            zone("autoDumpJob.timeZone", spec.autoDumpJob().timeZone(), problems);
        }
        raise(problems);
    }

    void dumpJob(DumpJobSpec spec, String id) {
        List<FieldProblem> problems = new ArrayList<>();
        uniqueName(Kind.DUMP_JOB, spec.name(), id, problems);
        if (!store.exists(Kind.SERVER, spec.serverId())) {
            problems.add(new FieldProblem("serverId", "no server with id '" + spec.serverId() + "'"));
        }
        DumpKind kind = DumpKind.of(spec.dumpType());
        if (kind.perDatabase() && spec.databaseName() == null) {
            problems.add(new FieldProblem("databaseName", "required for dump type " + spec.dumpType()));
        }
        if (!kind.perDatabase() && (spec.databaseName() != null || spec.schemaName() != null)) {
            problems.add(new FieldProblem(spec.databaseName() != null ? "databaseName" : "schemaName",
                    "must be absent for dump type " + spec.dumpType() + " (it covers the whole cluster)"));
        }
        if (spec.compressionLevel() != null && !Boolean.FALSE.equals(spec.dedup())) {
            problems.add(new FieldProblem("compressionLevel", "not used with dedup (the repository compresses the chunks);"
                    + " leave it out, or set dedup to false"));
        }
        if (spec.verification() != null && spec.verification().mode() != VerificationMode.CHECKSUMS) {
            if (Boolean.FALSE.equals(spec.verify())) {
                problems.add(new FieldProblem("verification.mode", "a test restore needs dumps whose checksums were"
                        + " verified; set verify to true, or the mode to CHECKSUMS"));
            }
            if (!kind.restorableIntoDatabase()) {
                problems.add(new FieldProblem("verification.mode", "dump type " + spec.dumpType()
                        + " cannot be test-restored into a database; use CHECKSUMS"));
            }
        }
        if (!kind.parallel() && spec.parallelJobs() > 1) {
            problems.add(new FieldProblem("parallelJobs", "must be 1 for dump type " + spec.dumpType()
                    + " (only pg_dump's directory format runs in parallel)"));
        }
        scriptOfDumpJob(spec, kind, problems);
        if (spec.hooks() != null) {
            DumpHooksSpec h = spec.hooks();
            oneOf(ScriptPhase.PRE_DUMP, h.preDumpSql(), h.preDumpScript(), problems);
            oneOf(ScriptPhase.POST_DUMP, h.postDumpSql(), h.postDumpScript(), problems);
        }
        cron("cron", spec.cron(), problems);
        zone("timeZone", spec.timeZone(), problems);
        if (spec.backupWindow() != null) {
            BackupWindow.problemWithTime(spec.backupWindow().start())
                    .ifPresent(p -> problems.add(new FieldProblem("backupWindow.start", p)));
            BackupWindow.problemWithTime(spec.backupWindow().end())
                    .ifPresent(p -> problems.add(new FieldProblem("backupWindow.end", p)));
            if (spec.backupWindow().start() != null && spec.backupWindow().start().equals(spec.backupWindow().end())) {
                problems.add(new FieldProblem("backupWindow.end", "must differ from start"));
            }
        }
        raise(problems);
    }

    void restoreJob(RestoreJobSpec spec, String id) {
        List<FieldProblem> problems = new ArrayList<>();
        uniqueName(Kind.RESTORE_JOB, spec.name(), id, problems);
        if (!store.exists(Kind.DUMP_JOB, spec.sourceDumpJobId())) {
            problems.add(new FieldProblem("sourceDumpJobId", "no dump job with id '" + spec.sourceDumpJobId() + "'"));
        }
        store.find(Kind.SERVER, spec.targetServerId()).ifPresentOrElse(
                target -> {
                    if (!Boolean.TRUE.equals(target.spec().allowRestores())) {
                        problems.add(new FieldProblem("targetServerId",
                                "server '" + target.spec().name() + "' does not allow restores (set allowRestores)"));
                    }
                },
                () -> problems.add(new FieldProblem("targetServerId", "no server with id '" + spec.targetServerId() + "'")));
        if (spec.trigger() == RestoreJobTrigger.CRON) {
            cron("cron", spec.cron(), problems);
        } else if (spec.cron() != null) {
            problems.add(new FieldProblem("cron", "only with trigger CRON"));
        }
        zone("timeZone", spec.timeZone(), problems);
        RestoreHooksSpec h = spec.hooks() == null ? RestoreHooksSpec.NONE : spec.hooks();
        oneOf(ScriptPhase.PRE_RESTORE, h.preRestoreSql(), h.preRestoreScript(), problems);
        oneOf(ScriptPhase.POST_RESTORE, h.postRestoreSql(), h.postRestoreScript(), problems);
        ExistingDatabasePolicy policy = spec.options() == null ? null : spec.options().existingDatabase();
        if (policy == ExistingDatabasePolicy.TRUNCATE || policy == ExistingDatabasePolicy.DROP_BEFORE) {
            Map<String, String> newDatabaseOnly = new LinkedHashMap<>();
            newDatabaseOnly.put(ScriptPhase.RESTORE.scriptField(), spec.scriptName());
            newDatabaseOnly.put(ScriptPhase.PRE_RESTORE.sqlField(), h.preRestoreSql());
            newDatabaseOnly.put(ScriptPhase.PRE_RESTORE.scriptField(), h.preRestoreScript());
            newDatabaseOnly.put(ScriptPhase.POST_RESTORE.sqlField(), h.postRestoreSql());
            newDatabaseOnly.put(ScriptPhase.POST_RESTORE.scriptField(), h.postRestoreScript());
            newDatabaseOnly.forEach((field, value) -> {
                if (value != null) {
                    problems.add(new FieldProblem(field, "hooks and scripts work on a temporary database before it"
                            + " takes the target's place; existingDatabase " + policy + " loads into the target itself"));
                }
            });
        }
        store.find(Kind.DUMP_JOB, spec.sourceDumpJobId()).ifPresent(source -> {
            if (DumpKind.of(source.spec().dumpType()).scripted() && spec.scriptName() == null) {
                problems.add(new FieldProblem("scriptName", "dump job '" + source.spec().name() + "' is a SCRIPT job:"
                        + " its dumps are files only a script can restore; name the script that loads them"));
            }
        });
        raise(problems);
    }

    /** A SCRIPT job names its script and leaves what pg_dump would choose to it; no other type names a script. */
    private static void scriptOfDumpJob(DumpJobSpec spec, DumpKind kind, List<FieldProblem> problems) {
        if (!kind.scripted()) {
            if (spec.scriptName() != null) {
                problems.add(new FieldProblem("scriptName", "only for dump type SCRIPT"));
            }
            return;
        }
        if (spec.scriptName() == null) {
            problems.add(new FieldProblem("scriptName", "required for dump type SCRIPT: the script that writes the dump"));
        }
        Map<String, Boolean> pgDumpOnly = new LinkedHashMap<>();
        pgDumpOnly.put("schemaName", spec.schemaName() != null);
        pgDumpOnly.put("compressionLevel", spec.compressionLevel() != null);
        pgDumpOnly.put("excludeSchemas", spec.excludeSchemas() != null && !spec.excludeSchemas().isEmpty());
        pgDumpOnly.put("excludeTableData", spec.excludeTableData() != null && !spec.excludeTableData().isEmpty());
        pgDumpOnly.forEach((field, set) -> {
            if (set) {
                problems.add(new FieldProblem(field, "a pg_dump setting; a SCRIPT job's script chooses what it dumps"));
            }
        });
    }

    private static void oneOf(ScriptPhase phase, String sql, String script, List<FieldProblem> problems) {
        Hook.problem(phase, sql, script).ifPresent(p -> problems.add(new FieldProblem(phase.scriptField(), p)));
    }

    private void uniqueName(Kind<?> kind, String name, String id, List<FieldProblem> problems) {
        if (store.nameTaken(kind, name, id)) {
            problems.add(new FieldProblem("name", "another " + kind.label() + " is named '" + name + "'"));
        }
    }

    private static void cron(String field, String expression, List<FieldProblem> problems) {
        CronSchedule.problemWithExpression(expression).ifPresent(p -> problems.add(new FieldProblem(field, p)));
    }

    private static void zone(String field, String timeZone, List<FieldProblem> problems) {
        CronSchedule.problemWithTimeZone(timeZone).ifPresent(p -> problems.add(new FieldProblem(field, p)));
    }

    private static void raise(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }
}
