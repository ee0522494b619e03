/** The catalog-service: Keeps the catalog of every dump and restore, with verification and retention state, and serves its REST API. */
package io.pgsnapman.service.catalog;
