/**
 * Keeping the repository healthy from catalog-service: garbage collection of chunks no dump uses and the repository
 * check, on an admin's request or on a schedule, with what the check finds published as catalog events and kept in
 * the catalog.
 */
package io.pgsnapman.service.catalog.maintenance;
