/**
 * The fleet's metrics: the {@link io.pgsnapman.metrics.Metric} catalogue (the one list of names, types and labels
 * that alert rules and dashboards are checked against), {@link io.pgsnapman.metrics.FleetMeters} that builds its
 * meters, what workers record per outcome ({@link io.pgsnapman.metrics.OutcomeMeters}) and the lag of a service's
 * own consumer groups ({@link io.pgsnapman.metrics.ConsumerLag}).
 */
package io.pgsnapman.metrics;
