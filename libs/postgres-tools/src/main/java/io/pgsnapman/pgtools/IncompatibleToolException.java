package io.pgsnapman.pgtools;

/** The client tools cannot work with the server (e.g. pg_dump older than the server). Permanent. */
public class IncompatibleToolException extends RuntimeException {

    public IncompatibleToolException(String message) {
        super(message);
    }
}
