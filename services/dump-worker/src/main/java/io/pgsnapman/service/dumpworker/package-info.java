/** The dump-worker: Runs pg_dump and pg_dumpall for the ticks of its worker pool and writes dumps into the repository. */
package io.pgsnapman.service.dumpworker;
