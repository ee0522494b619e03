/** 5-field cron schedules in a time zone ({@link io.pgsnapman.cron.CronSchedule}) and backup windows. */
package io.pgsnapman.cron;
