package io.pgsnapman.service.dumpworker;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.activity.ActivityKind;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.Progress;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import java.time.Clock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what the worker does on the activity topic for dashboards: fire and forget, since nothing depends
 * on it for correctness; a failed send is only logged.
 */
final class Activity {

    private static final Logger log = LoggerFactory.getLogger(Activity.class);

    private final Producer<String, Object> producer;
    private final String source;
    private final Clock clock;

    Activity(Producer<String, Object> producer, String source, Clock clock) {
        this.producer = producer;
        this.source = source;
        this.clock = clock;
    }

    void state(DumpRequested tick, ActivityLevel level, String message) {
        send(tick, ActivityKind.STATE, level, message, null);
    }

    void progress(DumpRequested tick, String phase, long done, Long total, String unit) {
        send(tick, ActivityKind.PROGRESS, ActivityLevel.INFO, phase + " " + done + " " + unit,
                Progress.newBuilder().setPhase(phase).setDone(done).setTotal(total).setUnit(unit).build());
    }

    private void send(DumpRequested tick, ActivityKind kind, ActivityLevel level, String message, Progress progress) {
        EventHeader header = EventHeaders.following(tick.getHeader(), source, clock);
        ActivityEvent event = ActivityEvent.newBuilder()
                .setHeader(header)
                .setSource(source)
                .setKind(kind)
                .setLevel(level)
                .setSubjectType(SubjectType.DUMP)
                .setSubjectId(tick.getDumpId())
                .setServerId(tick.getServerId())
                .setJobId(tick.getDumpJobId())
                .setMessage(message)
                .setProgress(progress)
                .build();
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
