package io.pgsnapman.registry.client;

/**
 * A schema-registry call failed. Subclasses name the common cases; the message always says which
 * registry URL answered (or did not) and what it said.
 */
public class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;

    public SchemaRegistryException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    public SchemaRegistryException(String message, int httpStatus) {
        this(message, httpStatus, null);
    }

    /** HTTP status the registry answered with, or 0 when it did not answer. */
    public int httpStatus() {
        return httpStatus;
    }
}
