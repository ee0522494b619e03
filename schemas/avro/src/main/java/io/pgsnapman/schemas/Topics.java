package io.pgsnapman.schemas;

import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.schedule.SchedulerProgress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The topic table of docs/architecture.md (section 2): the only place that names a topic and ties it to its key
 * and value types. Dead-letter topics are derived ({@link TopicSpec#deadLetterTopic()}).
 */
public final class Topics {

    /** Every topic name starts with this. */
    public static final String PREFIX = "pgsnapman.";

    /** Suffix of a topic's dead-letter topic. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    public static final TopicSpec<ServerConfig> CONFIG_SERVERS =
            new TopicSpec<>(PREFIX + "config.servers", "serverId", ServerConfig.class, CleanupPolicy.COMPACT, null);

    public static final TopicSpec<DumpJobConfig> CONFIG_DUMP_JOBS =
            new TopicSpec<>(PREFIX + "config.dump-jobs", "dumpJobId", DumpJobConfig.class, CleanupPolicy.COMPACT, null);

    public static final TopicSpec<RestoreJobConfig> CONFIG_RESTORE_JOBS = new TopicSpec<>(
            PREFIX + "config.restore-jobs", "restoreJobId", RestoreJobConfig.class, CleanupPolicy.COMPACT, null);

    public static final TopicSpec<DumpRequested> SCHEDULE_TICKS =
            new TopicSpec<>(PREFIX + "schedule.ticks", "serverId", DumpRequested.class, CleanupPolicy.DELETE, null);

    public static final TopicSpec<DumpCompleted> DUMP_COMPLETED =
            new TopicSpec<>(PREFIX + "dump.completed", "dumpJobId", DumpCompleted.class, CleanupPolicy.DELETE, null);

    public static final TopicSpec<RestoreRequested> RESTORE_REQUESTED = new TopicSpec<>(
            PREFIX + "restore.requested", "targetServerId", RestoreRequested.class, CleanupPolicy.DELETE, null);

    public static final TopicSpec<RestoreCompleted> RESTORE_COMPLETED = new TopicSpec<>(
            PREFIX + "restore.completed", "restoreRequestId", RestoreCompleted.class, CleanupPolicy.DELETE, null);

    public static final TopicSpec<CatalogEvent> CATALOG_EVENTS =
            new TopicSpec<>(PREFIX + "catalog.events", "dumpId", CatalogEvent.class, CleanupPolicy.DELETE, null);

    public static final TopicSpec<ActivityEvent> ACTIVITY = new TopicSpec<>(
            PREFIX + "activity", "source", ActivityEvent.class, CleanupPolicy.DELETE, Duration.ofDays(3));

    /**
     * The scheduler's own progress, compacted, one partition: the replica whose consumer group owns the
     * partition is the one scheduler that fires ticks.
     */
    public static final TopicSpec<SchedulerProgress> SCHEDULER_PROGRESS = new TopicSpec<>(
            PREFIX + "scheduler.progress", "jobId", SchedulerProgress.class, CleanupPolicy.COMPACT, null, 1);

    /** Every topic, in the order of the design's table. */
    public static final List<TopicSpec<?>> ALL = List.of(
            CONFIG_SERVERS,
            CONFIG_DUMP_JOBS,
            CONFIG_RESTORE_JOBS,
            SCHEDULE_TICKS,
            DUMP_COMPLETED,
            RESTORE_REQUESTED,
            RESTORE_COMPLETED,
            CATALOG_EVENTS,
            ACTIVITY,
            SCHEDULER_PROGRESS);

    static {
        AvroTrust.trustEventClasses();
    }

    private Topics() {}

    /** The topic of that name; dead-letter topics resolve to the topic they serve. */
    public static Optional<TopicSpec<?>> byName(String topicName) {
        String base = topicName.endsWith(DEAD_LETTER_SUFFIX)
                ? topicName.substring(0, topicName.length() - DEAD_LETTER_SUFFIX.length())
                : topicName;
        return ALL.stream().filter(t -> t.name().equals(base)).findFirst();
    }
}
