/**
 * Dead letters for every PgSnapMan consumer: the {@link io.pgsnapman.deadletters.Stage} a record failed at, one
 * set of {@link io.pgsnapman.deadletters.DeadLetterHeaders}, the {@link io.pgsnapman.deadletters.DeadLetters}
 * publisher that counts what it sends, and {@link io.pgsnapman.deadletters.Failures}, which tells a passing
 * failure (retry the record) from one that will never pass (dead-letter it).
 */
package io.pgsnapman.deadletters;
