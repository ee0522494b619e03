package io.pgsnapman.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.activity.ActivityKind;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ActivityReporterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Serializer<Object> ANY = (topic, value) -> new byte[0];
    private final MockProducer<String, Object> producer = new MockProducer<>(true, null, new StringSerializer(), ANY);
    private final ActivityReporter reporter = new ActivityReporter(producer, "restore-worker/rw-1", clock);
    private final EventHeader cause = EventHeaders.start("other-system", clock);
    private final ActivityReporter.Subject restore =
            new ActivityReporter.Subject(SubjectType.RESTORE, "req-1", "srv-test", "rjob-1", cause);

    @Test
    void progressIsKeyedBySourceAndCorrelatedWithTheRequest() {
        reporter.progress(restore, "pg_restore", 3, 5L, "steps");

        ProducerRecord<String, Object> sent = producer.history().get(0);
        ActivityEvent event = (ActivityEvent) sent.value();
        assertThat(sent.topic()).isEqualTo(Topics.ACTIVITY.name());
        assertThat(sent.key()).isEqualTo("restore-worker/rw-1");
        assertThat(event.getKind()).isEqualTo(ActivityKind.PROGRESS);
        assertThat(event.getSubjectType()).isEqualTo(SubjectType.RESTORE);
        assertThat(event.getSubjectId()).isEqualTo("req-1");
        assertThat(event.getServerId()).isEqualTo("srv-test");
        assertThat(event.getJobId()).isEqualTo("rjob-1");
        assertThat(event.getProgress().getDone()).isEqualTo(3);
        assertThat(event.getProgress().getTotal()).isEqualTo(5L);
        assertThat(event.getMessage()).isEqualTo("pg_restore 3/5 steps");
        assertThat(event.getHeader().getCorrelationId()).isEqualTo(cause.getCorrelationId());
    }

    @Test
    void stateChangesCarryTheirLevel() {
        reporter.state(restore, ActivityLevel.ERROR, "restore FAILED: boom");

        ActivityEvent event = (ActivityEvent) producer.history().get(0).value();
        assertThat(event.getKind()).isEqualTo(ActivityKind.STATE);
        assertThat(event.getLevel()).isEqualTo(ActivityLevel.ERROR);
        assertThat(event.getMessage()).isEqualTo("restore FAILED: boom");
    }

    @Test
    void aBrokenProducerNeverFailsTheWork() {
        MockProducer<String, Object> broken = new MockProducer<>(false, null, new StringSerializer(), ANY);
        broken.close();
        ActivityReporter failing = new ActivityReporter(broken, "dump-worker/dw-1", clock);

        assertThatCode(() -> failing.state(restore, ActivityLevel.INFO, "started")).doesNotThrowAnyException();
    }
}
