package io.pgsnapman.repository;

/** A complete dump with that id is already in the repository. */
public class DumpAlreadyExistsException extends RuntimeException {

    private final String dumpId;

    public DumpAlreadyExistsException(String dumpId) {
        super("dump '" + dumpId + "' is already complete in the repository");
        this.dumpId = dumpId;
    }

    public String dumpId() {
        return dumpId;
    }
}
