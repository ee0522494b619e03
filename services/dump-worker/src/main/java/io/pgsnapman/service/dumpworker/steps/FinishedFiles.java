package io.pgsnapman.service.dumpworker.steps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from repeated looks at a directory a tool is writing, which of its files the tool is done with: a file
 * that no process had open at two looks in a row, with the same size at both. Two looks, because a file is created
 * an instant before the descriptor that writes it shows; the same size, in case a file is reopened. Files named
 * in {@code neverFinished} (a table of contents rewritten at the end) are left for the tool's exit. Each file is
 * handed out once. Not thread-safe: one poller calls it.
 */
final class FinishedFiles {

    private final Set<String> neverFinished;
    private final Map<String, Long> closedAtLastLook = new HashMap<>();
    private final Set<String> handedOut = new HashSet<>();

    FinishedFiles(Set<String> neverFinished) {
        this.neverFinished = neverFinished;
    }

    /**
     * One look.
     *
     * @param sizes the files there now and their sizes
     * @param open  those of them some process has open now
     * @return the files finished since the last look
     */
    List<String> look(Map<String, Long> sizes, Set<String> open) {
        List<String> finished = new ArrayList<>();
        Map<String, Long> closedNow = new HashMap<>();
        sizes.forEach((file, size) -> {
            if (open.contains(file) || neverFinished.contains(file) || handedOut.contains(file)) {
                return;
            }
            if (size.equals(closedAtLastLook.get(file))) {
                finished.add(file);
                handedOut.add(file);
            } else {
                closedNow.put(file, size);
            }
        });
        closedAtLastLook.clear();
        closedAtLastLook.putAll(closedNow);
        finished.sort(null);
        return finished;
    }
}
