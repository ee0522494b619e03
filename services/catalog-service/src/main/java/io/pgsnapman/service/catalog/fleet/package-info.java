/**
 * The fleet as the catalog sees it, for operators: {@link io.pgsnapman.service.catalog.fleet.FleetGauges}, the
 * per-job gauges (newest verified dump's age, schedule interval, kept dumps, stored bytes) that alert rules and
 * dashboards read.
 */
package io.pgsnapman.service.catalog.fleet;
