package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;

/**
 * Step 1: checks the dump's files against its manifest before anything touches the target — a plain dump's
 * files where they are, a dump kept as chunks rebuilt into the worker's scratch directory chunk by chunk — and
 * holds them for the later steps ({@link SharedDumpFiles}: restores of the same dump at once share one reading).
 * A damaged dump is CHECKSUM_MISMATCH naming the file and the chunk. Undo, like the end of the restore, lets the
 * files go.
 */
final class VerifyChecksums implements Step<RestoreContext> {

    private final SharedDumpFiles files;

    VerifyChecksums(SharedDumpFiles files) {
        this.files = files;
    }

    @Override
    public String name() {
        return "verify checksums";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        restore.held = files.hold(restore.dump);
    }

    @Override
    public void undo(RestoreContext restore) {
        restore.releaseFiles();
    }
}
