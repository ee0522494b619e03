/** Typed, validated settings of catalog-service. */
package io.pgsnapman.service.catalog.settings;
