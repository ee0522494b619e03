/** Typed, validated settings of restore-worker. */
package io.pgsnapman.service.restoreworker.settings;
