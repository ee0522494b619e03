package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.dump.DumpHooks;
import io.pgsnapman.pgtools.scripts.ScriptDirectory;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Step 1: every script the dump will run (a SCRIPT job's own, its hooks') must be an executable in this worker's
 * scripts directory; an unknown name fails the dump with UNKNOWN_SCRIPT, naming the job field, before any hook runs or
 * the server is touched.
 */
final class CheckScripts implements Step<DumpContext> {

    private final ScriptDirectory scripts;

    CheckScripts(ScriptDirectory scripts) {
        this.scripts = scripts;
    }

    @Override
    public String name() {
        return "check scripts";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        Optional<Failure> unknown = scripts.firstUnknown(namedScripts(dump));
        if (unknown.isPresent()) {
            throw StepFailure.failed(unknown.get());
        }
    }

    /** The scripts a dump runs, by the job field naming each. */
    static Map<String, String> namedScripts(DumpContext dump) {
        DumpHooks hooks = dump.spec.getHooks();
        Map<String, String> named = new LinkedHashMap<>();
        named.put(ScriptPhase.PRE_DUMP.scriptField(), hooks.getPreDumpScript());
        named.put(ScriptPhase.DUMP.scriptField(), dump.kind.scripted() ? dump.spec.getScriptName() : null);
        named.put(ScriptPhase.POST_DUMP.scriptField(), hooks.getPostDumpScript());
        return named;
    }
}
