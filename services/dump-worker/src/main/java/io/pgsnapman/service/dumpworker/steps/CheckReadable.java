package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.Optional;

/**
 * Step 10, when the tick asks for verification: the written dump must read back as a dump of its kind (pg_restore
 * lists a directory dump; a pg_dumpall script ends with its completion line), or it is UNREADABLE_DUMP.
 */
final class CheckReadable implements Step<DumpContext> {

    private final ToolRunner runner;

    CheckReadable(ToolRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return "check readable";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        if (!dump.verify()) {
            return;
        }
        Optional<Failure> unreadable = dump.kind.unreadable(dump.tools, runner, dump.writer.directory());
        if (unreadable.isPresent()) {
            throw StepFailure.failed(unreadable.get());
        }
    }
}
