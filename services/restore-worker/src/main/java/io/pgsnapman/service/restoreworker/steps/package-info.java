/**
 * The restore as named steps over a {@link io.pgsnapman.service.restoreworker.steps.RestoreContext}, one per file,
 * in the order {@link io.pgsnapman.service.restoreworker.steps.RestoreSteps#inOrder} gives: verify checksums,
 * inspect the target, ensure roles, create the database, load the data (pg_restore, or truncate-and-reload into an
 * existing database), apply its grants and settings, run the restore job's post-restore hook, swap it into place,
 * check row counts. What a step decides is a pure function beside it ({@link io.pgsnapman.service.restoreworker.steps.RestoreMode},
 * {@code DatabaseStatements}), unit-tested without a server.
 */
package io.pgsnapman.service.restoreworker.steps;
