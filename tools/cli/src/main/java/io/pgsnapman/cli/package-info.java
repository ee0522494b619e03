/** The {@code pgsnapman} manager command: configuration, dumps, restores, catalog and events from a terminal. */
package io.pgsnapman.cli;
