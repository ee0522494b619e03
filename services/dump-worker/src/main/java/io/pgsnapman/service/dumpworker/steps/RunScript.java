package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.scripts.ScriptCalls;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.pgtools.scripts.ScriptRun;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.Optional;

/**
 * Step 8, for a SCRIPT dump: runs the job's script from the worker's scripts directory with the dumped database in
 * its environment and the staging directory as {@code PGSNAPMAN_OUTPUT_DIR}; the files it writes there become the dump
 * (checksums, dedup and the manifest as for pg_dump). Its progress lines become activity events; a non-zero exit is
 * SCRIPT_FAILED with its redacted stderr, an unknown name UNKNOWN_SCRIPT, a run past the script timeout SCRIPT_TIMEOUT.
 * Other kinds skip it.
 */
final class RunScript implements Step<DumpContext> {

    private final ScriptCalls scripts;
    private final ActivityReporter activity;

    RunScript(ScriptCalls scripts, ActivityReporter activity) {
        this.scripts = scripts;
        this.activity = activity;
    }

    @Override
    public String name() {
        return "run script";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        if (!dump.kind.scripted()) {
            return;
        }
        ScriptRun.Builder run = ScriptRun.of(dump.spec.getScriptName(), ScriptPhase.DUMP, dump.databaseConnection())
                .variable("PGSNAPMAN_OUTPUT_DIR", dump.writer.directory().toString());
        Optional<Failure> failed = scripts.run(contract(dump, run, ScriptPhase.DUMP, activity).build());
        if (failed.isPresent()) {
            throw StepFailure.failed(failed.get());
        }
    }

    /** What every script of a dump gets besides its connection: the tools, the dump's identity, progress reporting. */
    static ScriptRun.Builder contract(DumpContext dump, ScriptRun.Builder run, ScriptPhase phase, ActivityReporter activity) {
        return run.toolDirectory(dump.tools == null ? null : dump.tools.binDir())
                .variable("PGSNAPMAN_DUMP_ID", dump.dumpId())
                .variable("PGSNAPMAN_DUMP_JOB_ID", dump.tick.getDumpJobId())
                .variable("PGSNAPMAN_SERVER_ID", dump.server.getServerId())
                .variable("PGSNAPMAN_SERVER_VERSION", dump.version == null ? null : Integer.toString(dump.version.version().major()))
                .progress(p -> activity.progress(dump.subject, phase.label() + " script"
                        + (p.message().isEmpty() ? "" : ": " + p.message()), p.done(), p.total(), "script steps"));
    }
}
