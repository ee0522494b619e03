package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Step 1: re-reads the dump's files against its manifest before anything touches the target; a damaged dump is
 * CHECKSUM_MISMATCH. Restores of the same dump that start together (a fan-out) share one reading that runs while
 * they wait, instead of each hashing every file again; a restore starting after that reading ended reads again.
 */
final class VerifyChecksums implements Step<RestoreContext> {

    private final Map<String, CompletableFuture<List<DumpReader.ChecksumMismatch>>> reading = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "verify checksums";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        List<DumpReader.ChecksumMismatch> mismatches = shared(restore.dump);
        if (!mismatches.isEmpty()) {
            throw StepFailure.failed(FailureCode.CHECKSUM_MISMATCH
                    .failure("dump '" + restore.manifest.dumpId() + "' is damaged: " + mismatches).build());
        }
    }

    private List<DumpReader.ChecksumMismatch> shared(DumpReader dump) {
        String key = dump.manifest().dumpId() + "@" + dump.manifestSha256();
        CompletableFuture<List<DumpReader.ChecksumMismatch>> mine = new CompletableFuture<>();
        CompletableFuture<List<DumpReader.ChecksumMismatch>> running = reading.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            mine.complete(dump.verify());
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            reading.remove(key, mine);
        }
        return mine.join();
    }
}
