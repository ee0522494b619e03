package io.pgsnapman.activity;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.activity.ActivityKind;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.Progress;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what a service does on the activity topic, for dashboards and {@code events tail}: fire and
 * forget, since nothing depends on it for correctness; a failed send is only logged (at debug). Messages are
 * for humans and must never hold a secret.
 */
public final class ActivityReporter {

    private static final Logger log = LoggerFactory.getLogger(ActivityReporter.class);

    /**
     * What the activity is about.
     *
     * @param type     DUMP, RESTORE, ...
     * @param id       dump id or restore request id
     * @param serverId server concerned
     * @param jobId    dump or restore job, if any
     * @param cause    header of the event that asked for the work (correlation)
     */
    public record Subject(SubjectType type, String id, String serverId, String jobId, EventHeader cause) {}

    private final Producer<String, Object> producer;
    private final String source;
    private final Clock clock;

    /**
     * @param source this service instance, e.g. {@code restore-worker/rw-1} (the record key)
     */
    public ActivityReporter(Producer<String, Object> producer, String source, Clock clock) {
        this.producer = producer;
        this.source = source;
        this.clock = clock;
    }

    /** A state change: started, SUCCEEDED, FAILED, ... */
    public void state(Subject subject, ActivityLevel level, String message) {
        send(event(subject, ActivityKind.STATE, level, message, null, Map.of()));
    }

    /** Progress within a phase: {@code done} of {@code total} (unknown when null) {@code unit}s. */
    public void progress(Subject subject, String phase, long done, Long total, String unit) {
        String message = phase + " " + done + (total == null ? "" : "/" + total) + " " + unit;
        send(event(subject, ActivityKind.PROGRESS, ActivityLevel.INFO, message,
                Progress.newBuilder().setPhase(phase).setDone(done).setTotal(total).setUnit(unit).build(), Map.of()));
    }

    /** The event as it is sent (for tests and for callers that add attributes). */
    public ActivityEvent event(Subject subject, ActivityKind kind, ActivityLevel level, String message, Progress progress,
            Map<String, String> attributes) {
        return ActivityEvent.newBuilder()
                .setHeader(subject.cause() == null ? EventHeaders.start(source, clock)
                        : EventHeaders.following(subject.cause(), source, clock))
                .setSource(source)
                .setKind(kind)
                .setLevel(level)
                .setSubjectType(subject.type())
                .setSubjectId(subject.id())
                .setServerId(subject.serverId())
                .setJobId(subject.jobId())
                .setMessage(message)
                .setProgress(progress)
                .setAttributes(attributes)
                .build();
    }

    private void send(ActivityEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.ACTIVITY.name(), source, event), (metadata, error) -> {
                if (error != null) {
                    log.debug("activity not sent: {}", error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            log.debug("activity not sent: {}", e.getMessage());
        }
    }
}
