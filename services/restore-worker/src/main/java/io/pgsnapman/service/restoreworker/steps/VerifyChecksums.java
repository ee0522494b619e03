package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;

/**
 * Step 1: checks the dump's files against its manifest and holds them for the later steps ({@link SharedDumpFiles}).
 * A plain dump's files are checked where they are. A dump kept as chunks restored into a database the restore
 * creates and throws away on failure ({@link RestoreMode#alwaysViaTemporary}) is laid out with its large files as
 * pipes fed from the chunks while pg_restore reads them — their chunks are checked then, and the load step fails
 * the restore on a damaged one before the database takes the target's place; restored into the target itself it is
 * rebuilt whole and checked now, before anything touches the target. A damaged dump is CHECKSUM_MISMATCH naming
 * the file and the chunk. Undo, like the end of the restore, lets the files go.
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
        restore.held = files.hold(restore.dump, RestoreMode.alwaysViaTemporary(restore.options.getExistingDatabase()));
    }

    @Override
    public void undo(RestoreContext restore) {
        restore.releaseFiles();
    }
}
