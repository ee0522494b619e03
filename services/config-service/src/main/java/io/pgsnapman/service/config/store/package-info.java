/** The configuration database (PostgreSQL, Flyway migrations under db/migration). */
package io.pgsnapman.service.config.store;
