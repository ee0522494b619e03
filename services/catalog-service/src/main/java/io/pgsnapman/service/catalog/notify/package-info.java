/**
 * Notifications of failed dumps, failed verifications, missing backups and rejected or failed restores, to webhooks
 * (generic JSON, Slack's format) and e-mail: queued in the catalog database per destination, delivered with retries
 * by the {@link io.pgsnapman.service.catalog.notify.Notifier}, never with a secret in them
 * ({@link io.pgsnapman.service.catalog.notify.Redaction}).
 */
package io.pgsnapman.service.catalog.notify;
