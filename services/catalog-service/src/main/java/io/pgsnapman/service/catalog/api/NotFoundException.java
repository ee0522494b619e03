package io.pgsnapman.service.catalog.api;

/** Nothing with that id. 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
