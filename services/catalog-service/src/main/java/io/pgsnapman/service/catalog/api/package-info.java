/** The REST API of catalog-service. */
package io.pgsnapman.service.catalog.api;
