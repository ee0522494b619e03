package io.pgsnapman.service.catalog.settings;

import io.pgsnapman.service.catalog.notify.NotificationKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where notifications go (under {@code pgsnapman.catalog.notifications}): webhooks (generic JSON or Slack's format)
 * and e-mail, each with filters, and how failed deliveries are retried. A webhook URL can hold a secret (Slack's
 * do): give it from a Secret through the environment; it is never logged — logs and metrics name the destination.
 *
 * @param destinations every destination; none: nothing is sent
 * @param smtp         the mail server for EMAIL destinations
 * @param dispatchEvery how often due notifications are sent
 * @param attempts     deliveries tried per destination before a notification is given up (logged as an error, counted)
 * @param firstRetry   the wait after the first failed delivery; it doubles after each one
 * @param maxRetry     the longest wait between two deliveries
 * @param timeout      how long one delivery (a webhook's POST, a mail's SMTP conversation) may take to connect and answer
 */
public record NotificationProperties(
        @DefaultValue List<@Valid Destination> destinations,
        @DefaultValue @Valid Smtp smtp,
        @DefaultValue("2s") @NotNull Duration dispatchEvery,
        @DefaultValue("8") @Min(1) @Max(100) int attempts,
        @DefaultValue("10s") @NotNull Duration firstRetry,
        @DefaultValue("30m") @NotNull Duration maxRetry,
        @DefaultValue("10s") @NotNull Duration timeout) {

    /** How a destination is reached. */
    public enum Type {
        /** HTTP POST of a JSON document with every field of the notification. */
        WEBHOOK,
        /** HTTP POST in Slack's incoming-webhook format ({@code {"text": …}}); Teams and Mattermost read it too. */
        SLACK,
        /** A mail to every address of {@code to}, through {@code smtp}. */
        EMAIL
    }

    /**
     * One destination.
     *
     * @param name     how logs and metrics call it
     * @param type     how it is reached
     * @param url      where WEBHOOK and SLACK post
     * @param to       the addresses of an EMAIL destination
     * @param kinds    what it wants; empty: everything
     * @param servers  only about these servers (ids); empty: every server
     * @param dumpJobs only about these dump jobs (ids); empty: every job
     */
    public record Destination(
            @NotBlank String name,
            @NotNull Type type,
            URI url,
            @DefaultValue List<String> to,
            @DefaultValue Set<NotificationKind> kinds,
            @DefaultValue Set<String> servers,
            @DefaultValue Set<String> dumpJobs) {

        public Destination {
            if ((type == Type.WEBHOOK || type == Type.SLACK) && (url == null || !url.isAbsolute())) {
                throw new IllegalArgumentException("notification destination '" + name + "': " + type + " needs an absolute url");
            }
            if (type == Type.EMAIL && (to == null || to.isEmpty())) {
                throw new IllegalArgumentException("notification destination '" + name + "': EMAIL needs at least one address in to");
            }
        }

        /** Whether it wants this notification. */
        public boolean wants(NotificationKind kind, String serverId, String dumpJobId) {
            return (kinds.isEmpty() || kinds.contains(kind))
                    && (servers.isEmpty() || servers.contains(serverId))
                    && (dumpJobs.isEmpty() || dumpJobs.contains(dumpJobId));
        }
    }

    /**
     * The mail server.
     *
     * @param host         its host; needed by EMAIL destinations
     * @param port         its port
     * @param from         the sender address
     * @param username     the login, if it wants one
     * @param passwordFile a file holding the password (a mounted Secret), never the password itself
     * @param startTls     whether to require STARTTLS
     */
    public record Smtp(
            String host,
            @DefaultValue("25") @Min(1) @Max(65535) int port,
            @DefaultValue("pgsnapman@localhost") String from,
            String username,
            Path passwordFile,
            @DefaultValue("false") boolean startTls) {}

    public NotificationProperties {
        for (Destination d : destinations) {
            if (d.type() == Type.EMAIL && (smtp == null || smtp.host() == null || smtp.host().isBlank())) {
                throw new IllegalArgumentException("notification destination '" + d.name() + "' is EMAIL but smtp.host is not set");
            }
        }
    }
}
