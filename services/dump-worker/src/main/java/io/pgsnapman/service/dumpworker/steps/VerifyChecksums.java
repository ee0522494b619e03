package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.List;

/**
 * Step 14, when the tick asks for verification: re-reads every committed file against the SHA-256 its manifest
 * records. A mismatch deletes the dump (it is damaged as written) and is CHECKSUM_MISMATCH.
 */
final class VerifyChecksums implements Step<DumpContext> {

    private final DumpRepository repository;

    VerifyChecksums(DumpRepository repository) {
        this.repository = repository;
    }

    @Override
    public String name() {
        return "verify checksums";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        if (!dump.verify()) {
            return;
        }
        List<DumpReader.ChecksumMismatch> mismatches = dump.reader.verify();
        if (!mismatches.isEmpty()) {
            repository.delete(dump.dumpId());
            throw StepFailure.failed(FailureCode.CHECKSUM_MISMATCH
                    .failure("checksums do not match after writing: " + mismatches).build());
        }
    }
}
