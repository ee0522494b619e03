package io.pgsnapman.service.catalog.notify;

import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.service.catalog.fleet.FleetEntry;
import io.pgsnapman.service.catalog.fleet.JobHealth;
import io.pgsnapman.service.catalog.settings.NotificationProperties;
import io.pgsnapman.service.catalog.store.NotificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Sends notifications: {@link #notify} queues one for every destination that wants it (in the catalog database, so a
 * restart loses none and a redelivered event notifies once), {@link #dispatch} delivers what is due — on failure again
 * after a capped, jittered backoff, and after the last attempt gives it up with an error in the log and the
 * {@code pgsnapman_notifications_total{outcome="FAILED"}} counter. Missing backups are found in the fleet's judgement,
 * once per episode (until a newer verified dump ends it).
 */
public class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    /** How long a taken delivery is kept from other replicas while it is tried. */
    private static final Duration DELIVERY_LEASE = Duration.ofMinutes(2);
    private static final int BATCH = 50;

    private final NotificationStore store;
    private final List<NotificationProperties.Destination> destinations;
    private final Map<NotificationProperties.Type, Sender> senders;
    private final Backoff backoff;
    private final FleetMeters meters;
    private final Clock clock;
    private final RandomGenerator random;
    private final ObjectMapper json;
    private final UnaryOperator<String> serverNames;
    private final UnaryOperator<String> jobNames;

    /**
     * @param serverNames a server's name by its id (null when unknown)
     * @param jobNames    a dump job's name by its id (null when unknown)
     */
    public Notifier(NotificationStore store, NotificationProperties properties, Map<NotificationProperties.Type, Sender> senders,
            UnaryOperator<String> serverNames, UnaryOperator<String> jobNames, FleetMeters meters, Clock clock,
            RandomGenerator random, ObjectMapper json) {
        this.store = store;
        this.serverNames = serverNames;
        this.jobNames = jobNames;
        this.destinations = List.copyOf(properties.destinations());
        this.senders = new EnumMap<>(senders);
        this.backoff = new Backoff(properties.firstRetry(), properties.maxRetry(), properties.attempts());
        this.meters = meters;
        this.clock = clock;
        this.random = random;
        this.json = json;
        for (NotificationProperties.Destination d : destinations) {
            for (String outcome : List.of("SENT", "RETRIED", "FAILED")) {
                meters.counter(Metric.NOTIFICATIONS, d.name(), outcome);
            }
        }
    }

    /** Queues it, with the server's and job's names, for every destination that wants it; returns how many newly. */
    public int notify(Notification unnamed) {
        Notification notification = new Notification(unnamed.kind(), unnamed.key(), unnamed.occurredAt(), unnamed.serverId(),
                unnamed.serverName() != null || unnamed.serverId() == null ? unnamed.serverName() : serverNames.apply(unnamed.serverId()),
                unnamed.dumpJobId(),
                unnamed.jobName() != null || unnamed.dumpJobId() == null ? unnamed.jobName() : jobNames.apply(unnamed.dumpJobId()),
                unnamed.subjectId(), unnamed.text());
        int queued = 0;
        for (NotificationProperties.Destination d : destinations) {
            if (d.wants(notification.kind(), notification.serverId(), notification.dumpJobId())
                    && store.enqueue(notification.key(), d.name(), notification.kind().name(),
                            json.writeValueAsString(notification), clock.instant())) {
                queued++;
            }
        }
        if (queued > 0) {
            log.info("notification {} queued for {} destinations", notification.title(), queued);
        }
        return queued;
    }

    /** A missing-backup notification for every LATE job, keyed by its newest verified dump: once per episode. */
    public void missingBackups(List<FleetEntry> fleet) {
        for (FleetEntry job : fleet) {
            if (job.health() == JobHealth.LATE) {
                notify(new Notification(NotificationKind.BACKUP_MISSING,
                        NotificationKind.BACKUP_MISSING + "/" + job.dumpJobId() + "/" + job.newestVerifiedAt(), clock.instant(),
                        job.serverId(), job.serverName(), job.dumpJobId(), job.name(), job.dumpJobId(),
                        "No recent verified dump: " + job.reason() + "."));
            }
        }
    }

    /** Delivers what is due; returns how many were delivered. */
    public int dispatch() {
        Instant now = clock.instant();
        int sent = 0;
        for (NotificationStore.Due due : store.take(now, now.plus(DELIVERY_LEASE), BATCH)) {
            NotificationProperties.Destination destination = destinations.stream()
                    .filter(d -> d.name().equals(due.destination())).findFirst().orElse(null);
            if (destination == null) {
                store.failed(due.id(), "destination '" + due.destination() + "' is no longer configured", null);
                continue;
            }
            try {
                senders.get(destination.type()).send(destination, json.readValue(due.payload(), Notification.class));
                store.sent(due.id(), clock.instant());
                meters.counter(Metric.NOTIFICATIONS, destination.name(), "SENT").increment();
                sent++;
            } catch (Exception e) {
                int failures = due.attempts() + 1;
                String error = Redaction.clean(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (backoff.exhausted(failures)) {
                    store.failed(due.id(), error, null);
                    meters.counter(Metric.NOTIFICATIONS, destination.name(), "FAILED").increment();
                    log.error("notification {} to {} given up after {} attempts: {}", due.id(), destination.name(), failures, error);
                } else {
                    Duration wait = backoff.after(failures, random);
                    store.failed(due.id(), error, clock.instant().plus(wait));
                    meters.counter(Metric.NOTIFICATIONS, destination.name(), "RETRIED").increment();
                    log.warn("notification {} to {} failed (attempt {} of {}), again in {}: {}", due.id(), destination.name(),
                            failures, backoff.attempts(), wait, error);
                }
            }
        }
        return sent;
    }

    /** Deliveries waiting. */
    public long pending() {
        return store.pending();
    }
}
