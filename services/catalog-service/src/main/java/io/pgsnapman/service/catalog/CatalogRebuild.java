package io.pgsnapman.service.catalog;

import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.pgsnapman.service.catalog.store.RepositoryPins;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Reconstructs the catalog from the repository's manifests alone: every complete dump becomes (or stays) a
 * SUCCEEDED entry, pinned as the repository's pin records say ({@link RepositoryPins}). Entries of failed dumps,
 * which left no manifest, are kept as they are.
 */
@Service
public class CatalogRebuild {

    private static final Logger log = LoggerFactory.getLogger(CatalogRebuild.class);

    /**
     * @param manifests manifests read
     * @param cataloged entries written
     */
    public record Result(int manifests, int cataloged) {}

    private final Optional<DumpRepository> repository;
    private final CatalogStore store;
    private final RepositoryPins pins;

    public CatalogRebuild(Optional<DumpRepository> repository, CatalogStore store, RepositoryPins pins) {
        this.repository = repository;
        this.store = store;
        this.pins = pins;
    }

    public Result run(String actor) {
        DumpRepository repo = repository.orElseThrow(() -> new IllegalStateException(
                "no repository configured (pgsnapman.catalog.repository): cannot rebuild"));
        int cataloged = 0;
        var manifests = repo.list();
        for (Manifest manifest : manifests) {
            String sha = repo.open(manifest.dumpId()).map(r -> r.manifestSha256()).orElse(null);
            store.record(manifest, sha);
            pins.recorded(manifest.dumpId()).ifPresent(pinned -> store.pin(manifest.dumpId(), pinned));
            cataloged++;
        }
        log.info("{} rebuilt the catalog from {} manifests", actor, manifests.size());
        return new Result(manifests.size(), cataloged);
    }
}
