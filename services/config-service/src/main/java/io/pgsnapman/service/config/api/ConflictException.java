package io.pgsnapman.service.config.api;

/** The change cannot be made in the current state (e.g. deleting a server that jobs use). 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
