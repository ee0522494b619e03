package io.pgsnapman.service.config.api;

/** No item with that id. 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' not found");
    }
}
