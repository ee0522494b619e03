package io.pgsnapman.service.catalog.api;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items
 * @param page  page number, from 0
 * @param size  page size asked for
 * @param total items matching in all
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** The same page with its items replaced (e.g. enriched). */
    public Page<T> withItems(List<T> replaced) {
        return new Page<>(replaced, page, size, total);
    }
}
