/** Locating the PostgreSQL server binaries on this machine, for throw-away clusters (tests, local stack). */
package io.pgsnapman.pgbinaries;
