/** The scheduler-service: Fires cron ticks for dump jobs and fans finished dumps out to restore requests. */
package io.pgsnapman.service.scheduler;
