package io.pgsnapman.service.catalog.store;

import io.pgsnapman.repository.DumpRepository;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Pins kept with the dumps in the repository (a record {@code pins/<dumpId>} holding {@code pinned} or
 * {@code unpinned}), so a catalog rebuild from the repository keeps them: a recorded pin or unpin overrides the
 * manifest's own. Without a configured repository, pins live in the catalog only.
 */
@Component
public class RepositoryPins {

    private static final String PINNED = "pinned";
    private static final String UNPINNED = "unpinned";

    private final Optional<DumpRepository> repository;

    public RepositoryPins(Optional<DumpRepository> repository) {
        this.repository = repository;
    }

    /** Records a pin or an unpin of {@code dumpId}. */
    public void record(String dumpId, boolean pinned) {
        repository.ifPresent(r -> r.storeRecord(name(dumpId), (pinned ? PINNED : UNPINNED).getBytes(StandardCharsets.UTF_8)));
    }

    /** The pin recorded for {@code dumpId}, if one was. */
    public Optional<Boolean> recorded(String dumpId) {
        return repository.flatMap(r -> r.loadRecord(name(dumpId)))
                .map(bytes -> PINNED.equals(new String(bytes, StandardCharsets.UTF_8).strip()));
    }

    private static String name(String dumpId) {
        return "pins/" + dumpId;
    }
}
