package io.pgsnapman.metrics;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every metric PgSnapMan exposes at {@code /actuator/prometheus}: its Micrometer name, type, base unit, labels and
 * the services that expose it. Alert rules and dashboards are checked against this list, and an end-to-end test
 * scrapes each service for its entries. Labels are bounded: servers, dump jobs, topics and groups come from the
 * configuration, outcomes and states from enums; no label ever holds a dump or request id. {@code dump_job} and
 * {@code server} are used rather than {@code job} and {@code instance}, which Prometheus sets on every target.
 */
public enum Metric {

    /** Dumps finished by this worker, by outcome. */
    DUMPS("pgsnapman.dumps", Type.COUNTER, null, "Dumps finished, by outcome, server and dump job",
            List.of(Label.OUTCOME, Label.SERVER, Label.DUMP_JOB), Service.DUMP_WORKER),
    /** How long dumps took, as a histogram. */
    DUMP_DURATION("pgsnapman.dump.duration", Type.TIMER, "seconds", "Time from a dump's start to its outcome",
            List.of(Label.OUTCOME, Label.SERVER, Label.DUMP_JOB), Service.DUMP_WORKER),
    /** Logical bytes of successful dumps (what pg_dump wrote). */
    DUMP_LOGICAL_BYTES("pgsnapman.dump.logical", Type.COUNTER, "bytes",
            "Bytes pg_dump wrote for successful dumps (before dedup)", List.of(Label.SERVER, Label.DUMP_JOB),
            Service.DUMP_WORKER),
    /** Bytes successful dumps added to the repository. */
    DUMP_STORED_BYTES("pgsnapman.dump.stored", Type.COUNTER, "bytes",
            "Bytes successful dumps added to the repository (after dedup and compression)",
            List.of(Label.SERVER, Label.DUMP_JOB), Service.DUMP_WORKER),
    /** Dumps running on this worker now. */
    DUMPS_RUNNING("pgsnapman.dumps.running", Type.GAUGE, null, "Dumps running on this worker now", List.of(),
            Service.DUMP_WORKER),
    /** Dumps this worker may run at once. */
    DUMP_SLOTS("pgsnapman.dump.slots", Type.GAUGE, null, "Dumps this worker may run at once", List.of(),
            Service.DUMP_WORKER),

    /** Restores and test restores answered by this worker, by outcome. */
    RESTORES("pgsnapman.restores", Type.COUNTER, null,
            "Restore requests answered, by outcome, target server and purpose (RESTORE or VERIFY)",
            List.of(Label.OUTCOME, Label.SERVER, Label.PURPOSE), Service.RESTORE_WORKER),
    /** How long restores took, as a histogram. */
    RESTORE_DURATION("pgsnapman.restore.duration", Type.TIMER, "seconds", "Time from a restore's start to its answer",
            List.of(Label.OUTCOME, Label.SERVER, Label.PURPOSE), Service.RESTORE_WORKER),
    /** Restores running on this worker now. */
    RESTORES_RUNNING("pgsnapman.restores.running", Type.GAUGE, null, "Restores running on this worker now, by purpose",
            List.of(Label.PURPOSE), Service.RESTORE_WORKER),
    /** Restores this worker may run at once. */
    RESTORE_SLOTS("pgsnapman.restore.slots", Type.GAUGE, null, "Restores this worker may run at once, by purpose",
            List.of(Label.PURPOSE), Service.RESTORE_WORKER),

    /** The missing-backup signal: how old the newest verified dump of each active job is. */
    NEWEST_VERIFIED_DUMP_AGE("pgsnapman.newest.verified.dump.age", Type.GAUGE, "seconds",
            "Age of the newest verified dump of each dump job that has one",
            List.of(Label.DUMP_JOB, Label.SERVER), Service.CATALOG_SERVICE),
    /** Each active cron job's interval between two scheduled runs, to judge the age against. */
    DUMP_JOB_INTERVAL("pgsnapman.dump.job.interval", Type.GAUGE, "seconds",
            "Longest gap between two scheduled runs of each active dump job, over its runs in the next 8 days",
            List.of(Label.DUMP_JOB, Label.SERVER), Service.CATALOG_SERVICE),
    /** One series per configured dump job with its name: joins ids to names on dashboards. */
    DUMP_JOB_INFO("pgsnapman.dump.job.info", Type.GAUGE, null, "1 for every configured dump job, with its name and state",
            List.of(Label.DUMP_JOB, Label.SERVER, Label.NAME, Label.STATE), Service.CATALOG_SERVICE),
    /** Dumps the catalog keeps, by verification status. */
    CATALOG_DUMPS("pgsnapman.catalog.dumps", Type.GAUGE, null,
            "Dumps the catalog keeps (not deleted), by dump job and verification status",
            List.of(Label.DUMP_JOB, Label.VERIFICATION), Service.CATALOG_SERVICE),
    /** Repository bytes held by the dumps the catalog keeps. */
    CATALOG_STORED_BYTES("pgsnapman.catalog.stored", Type.GAUGE, "bytes",
            "Repository bytes the kept dumps of each dump job added when they were written",
            List.of(Label.DUMP_JOB), Service.CATALOG_SERVICE),
    /** Verifications by test restore that ended, by outcome. */
    VERIFICATIONS("pgsnapman.verifications", Type.COUNTER, null,
            "Verifications by test restore that ended, by state (VERIFIED, FAILED, SKIPPED, ERROR) and dump job",
            List.of(Label.STATE, Label.DUMP_JOB), Service.CATALOG_SERVICE),
    /** Dumps expired by their job's retention policy. */
    RETENTION_EXPIRED("pgsnapman.retention.expired", Type.COUNTER, null,
            "Dumps expired by their job's retention policy (their files are deleted after the grace period)",
            List.of(Label.DUMP_JOB), Service.CATALOG_SERVICE),
    /** Expired dumps whose files were deleted. */
    RETENTION_DELETED("pgsnapman.retention.deleted", Type.COUNTER, null,
            "Expired dumps whose files were deleted from the repository", List.of(Label.DUMP_JOB),
            Service.CATALOG_SERVICE),

    /** Notification deliveries, by destination and outcome. */
    NOTIFICATIONS("pgsnapman.notifications", Type.COUNTER, null,
            "Notification deliveries by destination: SENT, RETRIED (failed, tried again later) or FAILED (given up)",
            List.of(Label.DESTINATION, Label.OUTCOME), Service.CATALOG_SERVICE),
    /** Notification deliveries waiting. */
    NOTIFICATIONS_PENDING("pgsnapman.notifications.pending", Type.GAUGE, null,
            "Notification deliveries not yet made or given up", List.of(), Service.CATALOG_SERVICE),

    /** Configuration changes not yet published. */
    OUTBOX_PENDING("pgsnapman.outbox.pending", Type.GAUGE, null,
            "Configuration changes written but not yet published to Kafka", List.of(), Service.CONFIG_SERVICE),
    /** How long the oldest unpublished change has waited. */
    OUTBOX_OLDEST_AGE("pgsnapman.outbox.oldest.age", Type.GAUGE, "seconds",
            "Age of the oldest configuration change not yet published (0 when none)", List.of(),
            Service.CONFIG_SERVICE),

    /** Dump requests the scheduler published. */
    SCHEDULE_TICKS("pgsnapman.schedule.ticks", Type.COUNTER, null, "Scheduled dump requests published, by server",
            List.of(Label.SERVER), Service.SCHEDULER_SERVICE),
    /** Whether this scheduler instance leads. */
    SCHEDULER_LEADER("pgsnapman.scheduler.leader", Type.GAUGE, null, "1 while this scheduler instance leads, else 0",
            List.of(), Service.SCHEDULER_SERVICE),

    /** Records sent to a dead-letter topic. */
    DEAD_LETTERS("pgsnapman.dead.letters", Type.COUNTER, null,
            "Records sent to a dead-letter topic, by source topic and stage", List.of(Label.TOPIC, Label.STAGE),
            Service.CATALOG_SERVICE, Service.SCHEDULER_SERVICE, Service.DUMP_WORKER, Service.RESTORE_WORKER),
    /** Records a consumer group has yet to read. */
    CONSUMER_LAG("pgsnapman.consumer.lag", Type.GAUGE, null,
            "Records of a topic not yet committed by a consumer group of this service",
            List.of(Label.GROUP, Label.TOPIC),
            Service.CATALOG_SERVICE, Service.SCHEDULER_SERVICE, Service.DUMP_WORKER, Service.RESTORE_WORKER),
    /** Keys held by a service's cache of a configuration topic. */
    CONFIG_CACHE_ENTRIES("pgsnapman.config.cache.entries", Type.GAUGE, null,
            "Keys held by this service's cache of a configuration topic", List.of(Label.TOPIC),
            Service.CATALOG_SERVICE, Service.SCHEDULER_SERVICE, Service.DUMP_WORKER, Service.RESTORE_WORKER);

    /** How a metric is kept. */
    public enum Type {
        /** Only goes up; exposed with {@code _total}. */
        COUNTER,
        /** A value now. */
        GAUGE,
        /** Durations as a histogram: {@code _bucket}, {@code _count}, {@code _sum}, {@code _max}. */
        TIMER
    }

    /** A label name, one spelling everywhere. */
    public enum Label {
        OUTCOME("outcome"), SERVER("server"), DUMP_JOB("dump_job"), PURPOSE("purpose"), NAME("name"), STATE("state"),
        VERIFICATION("verification"), TOPIC("topic"), STAGE("stage"), GROUP("group"),
        DESTINATION("destination");

        private final String key;

        Label(String key) {
            this.key = key;
        }

        /** The label's name in Micrometer and Prometheus. */
        public String key() {
            return key;
        }
    }

    /** The services, by their application name. */
    public enum Service {
        CONFIG_SERVICE("config-service"), SCHEDULER_SERVICE("scheduler-service"), DUMP_WORKER("dump-worker"),
        RESTORE_WORKER("restore-worker"), CATALOG_SERVICE("catalog-service");

        private final String applicationName;

        Service(String applicationName) {
            this.applicationName = applicationName;
        }

        public String applicationName() {
            return applicationName;
        }
    }

    private final String meterName;
    private final Type type;
    private final String baseUnit;
    private final String help;
    private final List<Label> labels;
    private final Set<Service> exposedBy;

    Metric(String meterName, Type type, String baseUnit, String help, List<Label> labels, Service first, Service... more) {
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.help = help;
        this.labels = List.copyOf(labels);
        this.exposedBy = EnumSet.of(first, more);
    }

    /** The name given to Micrometer. */
    public String meterName() {
        return meterName;
    }

    public Type type() {
        return type;
    }

    /** Seconds or bytes, or null for a plain count. */
    public String baseUnit() {
        return baseUnit;
    }

    /** The description shown as the metric's HELP. */
    public String help() {
        return help;
    }

    public List<Label> labels() {
        return labels;
    }

    /** The label names, as written in queries. */
    public List<String> labelKeys() {
        return labels.stream().map(Label::key).toList();
    }

    public Set<Service> exposedBy() {
        return exposedBy;
    }

    /** The name Prometheus stores it under (without a histogram's {@code _bucket}, {@code _sum} … suffixes). */
    public String prometheusName() {
        String name = meterName.replace('.', '_');
        if (baseUnit != null) {
            name += "_" + baseUnit;
        }
        return type == Type.COUNTER ? name + "_total" : name;
    }

    /** Every series name the metric produces in the exposition: a timer's bucket, count, sum and max. */
    public List<String> seriesNames() {
        String name = prometheusName();
        return type == Type.TIMER ? List.of(name + "_bucket", name + "_count", name + "_sum", name + "_max") : List.of(name);
    }
}
