/** Typed, validated settings of dump-worker. */
package io.pgsnapman.service.dumpworker.settings;
