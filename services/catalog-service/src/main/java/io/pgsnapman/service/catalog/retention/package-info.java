/**
 * Retention: which dumps of a dump job stay and which expire, decided by a pure policy ({@link
 * io.pgsnapman.service.catalog.retention.RetentionPolicy}) over the catalog, and carried out through catalog
 * events (EXPIRED, then the dump-worker's DELETED).
 */
package io.pgsnapman.service.catalog.retention;
