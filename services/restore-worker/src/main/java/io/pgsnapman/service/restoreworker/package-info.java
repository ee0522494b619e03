/** The restore-worker: Validates restore requests and restores dumps into target servers. */
package io.pgsnapman.service.restoreworker;
