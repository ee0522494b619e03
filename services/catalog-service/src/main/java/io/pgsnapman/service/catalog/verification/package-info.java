/**
 * Verification by test restore: which dumps get one (the job's policy), on which verification server and when
 * (version, cap and disk budget), the VERIFY restore requests that run them, and what their outcomes make of the
 * dumps in the catalog.
 */
package io.pgsnapman.service.catalog.verification;
