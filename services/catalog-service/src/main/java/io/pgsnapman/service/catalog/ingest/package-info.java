/** Reading events into the catalog, with dead-letter handling. */
package io.pgsnapman.service.catalog.ingest;
