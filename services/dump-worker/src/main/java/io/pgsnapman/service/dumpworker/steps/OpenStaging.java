package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.worksteps.Step;

/**
 * Step 6: opens the dump's staging directory in the repository; nothing in it looks complete until the commit.
 * Undo discards it.
 */
final class OpenStaging implements Step<DumpContext> {

    private final DumpRepository repository;

    OpenStaging(DumpRepository repository) {
        this.repository = repository;
    }

    @Override
    public String name() {
        return "open staging";
    }

    @Override
    public void run(DumpContext dump) {
        dump.writer = repository.begin(dump.dumpId());
    }

    @Override
    public void undo(DumpContext dump) {
        if (dump.writer != null) {
            dump.writer.close();
            dump.writer = null;
        }
    }
}
