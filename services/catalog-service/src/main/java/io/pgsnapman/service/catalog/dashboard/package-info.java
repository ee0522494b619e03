/**
 * The operator dashboard served by catalog-service: the page under {@code /dashboard/} (static, reading the fleet
 * and catalog APIs with the viewer's token) and the live activity stream it shows, followed from the activity topic
 * by the {@link io.pgsnapman.service.catalog.dashboard.ActivityFeed} and sent as server-sent events.
 */
package io.pgsnapman.service.catalog.dashboard;
