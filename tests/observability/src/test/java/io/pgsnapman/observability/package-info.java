/** Tests that PgSnapMan's alert rules and Grafana dashboards in {@code deploy/} hold to the metric catalogue. */
package io.pgsnapman.observability;
