/** Typed, validated settings of scheduler-service. */
package io.pgsnapman.service.scheduler.settings;
