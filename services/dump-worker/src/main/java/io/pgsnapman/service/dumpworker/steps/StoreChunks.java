package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.worksteps.Step;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 12, for a tick with dedup: keeps every file the tool wrote as content-defined chunks in the repository's
 * chunk store (compressed, each stored once across all dumps). Most files were chunked while the tool ran
 * ({@link ChunkWhileWriting}); this step waits for those and chunks the rest (the table of contents, files still
 * open at the tool's exit, every file where open files cannot be seen), as many at once as the dump's parallel
 * jobs, each leaving the staging directory as soon as it is chunked. The tool wrote uncompressed
 * ({@code --compress=0}): compression is the repository's, and only uncompressed data deduplicates.
 */
final class StoreChunks implements Step<DumpContext> {

    private static final Logger log = LoggerFactory.getLogger(StoreChunks.class);

    @Override
    public String name() {
        return "store chunks";
    }

    @Override
    public void run(DumpContext dump) throws IOException, InterruptedException {
        if (!dump.tick.getDedup()) {
            return;
        }
        ChunkWhileWriting chunking = dump.chunking != null ? dump.chunking
                : ChunkWhileWriting.of(dump.writer, dump.spec.getParallelJobs());
        dump.chunking = null;
        try {
            ChunkWhileWriting.Counts counts = chunking.finish();
            log.info("dump {}: {} files chunked while the tool ran, {} after it", dump.dumpId(), counts.whileWriting(),
                    counts.after());
        } finally {
            chunking.close();
        }
    }
}
