/** The catalog database (PostgreSQL, Flyway migrations under db/migration). */
package io.pgsnapman.service.catalog.store;
