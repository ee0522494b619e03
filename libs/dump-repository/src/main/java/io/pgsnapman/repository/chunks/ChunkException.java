package io.pgsnapman.repository.chunks;

/** A chunk that is missing, or whose content no longer hashes to its id. */
public final class ChunkException extends Exception {

    private final String chunkId;
    private final boolean missing;

    private ChunkException(String chunkId, boolean missing, String message) {
        super(message);
        this.chunkId = chunkId;
        this.missing = missing;
    }

    static ChunkException missing(String id) {
        return new ChunkException(id, true, "chunk " + id + " is missing");
    }

    static ChunkException damaged(String id, String why) {
        return new ChunkException(id, false, "chunk " + id + " is damaged: " + why);
    }

    public String chunkId() {
        return chunkId;
    }

    /** Missing rather than damaged. */
    public boolean missing() {
        return missing;
    }
}
