package io.pgsnapman.cli;

import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.activity.ActivityKind;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code events tail}: the event streams, live, one line per event — ticks, dump outcomes, restore requests and
 * outcomes, activity (progress, state changes) — filterable by server, job and kind. Reads Kafka directly with
 * a throw-away consumer group; never commits, never writes.
 */
@Command(name = "events", description = "The event streams.", subcommands = EventsCommand.Tail.class)
final class EventsCommand extends GroupCommand {

    static {
        AvroTrust.trustEventClasses();
    }

    @ParentCommand
    PgSnapManCli root;

    /** What kind of event a line is, for {@code --kind}. */
    enum Kind { TICK, DUMP, RESTORE, ACTIVITY }

    /** One event as the CLI prints it. */
    record Line(Instant at, Kind kind, String subject, String serverId, String jobId, String text) {}

    @Command(name = "tail", description = "Follow the events live (Ctrl-C stops).")
    static final class Tail implements Callable<Integer> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

        @ParentCommand
        EventsCommand events;

        @Option(names = "--server", description = "Only events of this server.") String serverId;
        @Option(names = "--job", description = "Only events of this dump or restore job.") String jobId;
        @Option(names = "--kind", split = ",", description = "tick, dump, restore, activity (default: all).") List<Kind> kinds;
        @Option(names = "--from-beginning", description = "Start with the oldest events kept, not with new ones.") boolean fromBeginning;
        @Option(names = "--no-progress", description = "Leave out progress lines (steps, bytes); keep state changes.")
        boolean noProgress;
        @Option(names = "--max", description = "Stop after this many events.") Integer max;
        @Option(names = "--for", description = "Stop after this long, e.g. PT30S.") Duration duration;

        @Override
        public Integer call() {
            PgSnapManCli root = events.root;
            Map<String, Object> props = root.kafkaClient();
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "pgsnapman-cli-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            AvroDeserializer<SpecificRecord> values = AvroDeserializer.forSpecificValues(props);
            PrintWriter out = root.out().writer();
            boolean json = root.out().json();
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            int shown = 0;
            try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
                consumer.subscribe(List.of(Topics.SCHEDULE_TICKS.name(), Topics.DUMP_COMPLETED.name(),
                        Topics.RESTORE_REQUESTED.name(), Topics.RESTORE_COMPLETED.name(), Topics.ACTIVITY.name()));
                while (System.nanoTime() < deadline && (max == null || shown < max)) {
                    try {
                        for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(300))) {
                            Line line = record.value() == null ? null : describe(record.value());
                            if (line == null || !matches(line) || (noProgress && isProgress(record.value()))) {
                                continue;
                            }
                            out.println(json ? record.value().toString() : String.format("%s %-8s %-50s %s", TIME.format(line.at()),
                                    line.kind().name().toLowerCase(), line.subject(), line.text()));
                            out.flush();
                            if (max != null && ++shown >= max) {
                                break;
                            }
                        }
                    } catch (RecordDeserializationException e) {
                        consumer.seek(e.topicPartition(), e.offset() + 1); // not ours to judge; the services dead-letter it
                    }
                }
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new CliException(CliException.UNREACHABLE, "cannot read events from " + props.get(PgSnapManCli.BOOTSTRAP_SERVERS) + ": "
                        + e.getMessage());
            }
            return 0;
        }

        private static boolean isProgress(SpecificRecord value) {
            return value instanceof ActivityEvent a && a.getKind() == ActivityKind.PROGRESS;
        }

        private boolean matches(Line line) {
            return (kinds == null || kinds.contains(line.kind()))
                    && (serverId == null || serverId.equals(line.serverId()))
                    && (jobId == null || jobId.equals(line.jobId()));
        }
    }

    /** One line for an event of the streams; null for a value type it does not know. */
    static Line describe(SpecificRecord value) {
        if (value instanceof DumpRequested t) {
            return new Line(t.getHeader().getOccurredAt(), Kind.TICK, t.getDumpId(), t.getServerId(), t.getDumpJobId(),
                    t.getTrigger() + " tick for " + t.getSpec().getDumpType() + " of " + t.getSpec().getDatabaseName());
        }
        if (value instanceof DumpCompleted d) {
            return new Line(d.getHeader().getOccurredAt(), Kind.DUMP, d.getDumpId(), d.getServerId(), d.getDumpJobId(),
                    d.getOutcome() + (d.getFailure() == null ? ", " + d.getSizeBytes() + " bytes, " + d.getVerification()
                            : ": " + d.getFailure().getReason()));
        }
        if (value instanceof RestoreRequested r) {
            return new Line(r.getHeader().getOccurredAt(), Kind.RESTORE, r.getRestoreRequestId(), r.getTargetServerId(),
                    r.getRestoreJobId(), "requested (" + r.getTrigger() + ") into " + r.getTargetDatabaseName());
        }
        if (value instanceof RestoreCompleted r) {
            return new Line(r.getHeader().getOccurredAt(), Kind.RESTORE, r.getRestoreRequestId(), r.getTargetServerId(),
                    r.getRestoreJobId(), r.getOutcome() + (r.getFailure() == null ? " into " + r.getTargetDatabaseName()
                            + (r.getRowCountsMatch() == null ? "" : ", rows match: " + r.getRowCountsMatch())
                            : ": " + r.getFailure().getReason())
                            + (r.getAttempts() > 1 ? " (after " + r.getAttempts() + " attempts)" : ""));
        }
        if (value instanceof ActivityEvent a) {
            return new Line(a.getHeader().getOccurredAt(), Kind.ACTIVITY, String.valueOf(a.getSubjectId()), a.getServerId(),
                    a.getJobId(), a.getLevel() + " " + a.getMessage());
        }
        return null;
    }
}
