package io.pgsnapman.service.catalog.fleet;

import io.pgsnapman.cron.CronSchedule;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.service.catalog.store.FleetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Judges every dump job from the catalog's per-job summary and the configured jobs (pure): the newest verified
 * dump's age against 1.5 times the schedule's longest interval — the rule the {@code PgSnapManBackupMissing} alert
 * applies —, and the latest dump's outcome. Failures come first. Metrics, the fleet API and {@code pgsnapman status}
 * all read this one judgement.
 */
public final class FleetStatus {

    /** How far ahead a schedule's firings are looked at for its longest interval. */
    static final Duration INTERVAL_HORIZON = Duration.ofDays(8);
    /** A job is late when its newest verified dump is older than this many intervals. */
    static final double LATE_AFTER_INTERVALS = 1.5;

    private FleetStatus() {}

    /** One entry per configured job and per deleted job that still has dumps, failures first, then by name. */
    public static List<FleetEntry> of(List<FleetStore.JobDumps> dumps, Collection<DumpJobConfig> configured,
            Function<String, String> serverName, Instant now) {
        Map<String, FleetStore.JobDumps> byJob = new HashMap<>();
        dumps.forEach(d -> byJob.put(d.dumpJobId(), d));
        List<FleetEntry> entries = new ArrayList<>();
        for (DumpJobConfig job : configured) {
            entries.add(entry(job, byJob.remove(job.getDumpJobId()), serverName, now));
        }
        for (FleetStore.JobDumps orphan : byJob.values()) {
            entries.add(entry(null, orphan, serverName, now));
        }
        entries.sort(Comparator.comparing(FleetEntry::health)
                .thenComparing(e -> Objects.requireNonNullElse(e.name(), ""))
                .thenComparing(FleetEntry::dumpJobId));
        return entries;
    }

    private static FleetEntry entry(DumpJobConfig job, FleetStore.JobDumps dumps, Function<String, String> serverName,
            Instant now) {
        String serverId = job != null ? job.getServerId() : dumps.serverId();
        Instant newest = dumps == null ? null : job != null && !job.getVerify() ? dumps.newestSucceeded() : dumps.newestVerified();
        Long age = newest == null ? null : Math.max(0, Duration.between(newest, now).toSeconds());
        Long interval = job != null && job.getState() == JobState.ACTIVE
                ? interval(job, now).map(Duration::toSeconds).orElse(null) : null;
        FleetEntry.LatestDump latest = dumps == null || dumps.latest() == null ? null : latest(dumps.latest());
        Judgement judged = judge(job, latest, age, interval, dumps);
        return new FleetEntry(job != null ? job.getDumpJobId() : dumps.dumpJobId(), job != null ? job.getName() : null,
                serverId, serverName.apply(serverId), judged.health(), judged.reason(), latest, newest, age, interval,
                dumps == null ? new FleetEntry.KeptDumps(0, 0, 0)
                        : new FleetEntry.KeptDumps(dumps.verified(), dumps.notVerified(), dumps.failed()),
                dumps == null ? 0 : dumps.storedBytes());
    }

    private record Judgement(JobHealth health, String reason) {}

    private static Judgement judge(DumpJobConfig job, FleetEntry.LatestDump latest, Long age, Long interval,
            FleetStore.JobDumps dumps) {
        if (job == null) {
            return new Judgement(JobHealth.DELETED, "deleted from the configuration; its dumps stay for retention's grace");
        }
        if (latest != null && "FAILED".equals(latest.outcome())) {
            return new Judgement(JobHealth.FAILED, "latest dump FAILED: " + Objects.requireNonNullElse(latest.failureReason(), "no reason given"));
        }
        if (latest != null && "VERIFICATION_FAILED".equals(latest.verification())) {
            return new Judgement(JobHealth.FAILED, "latest dump VERIFICATION_FAILED: "
                    + Objects.requireNonNullElse(latest.failureReason(), "no reason given"));
        }
        if (job.getState() == JobState.HALTED) {
            return new Judgement(JobHealth.HALTED, "halted: no scheduled dumps");
        }
        if (age != null && interval != null && age > LATE_AFTER_INTERVALS * interval) {
            return new Judgement(JobHealth.LATE, "newest verified dump is " + human(age) + " old; the schedule runs every "
                    + human(interval));
        }
        if (age == null && dumps != null) {
            return new Judgement(JobHealth.UNVERIFIED, "no verified dump yet");
        }
        return new Judgement(JobHealth.OK, age == null ? "no dump yet" : "newest verified dump is " + human(age) + " old");
    }

    private static FleetEntry.LatestDump latest(FleetStore.LatestDump d) {
        return new FleetEntry.LatestDump(d.dumpId(), d.scheduledAt(), d.finishedAt(), d.outcome(), d.verification(),
                d.sizeBytes(), d.storedBytes(), d.failureReason());
    }

    /** The schedule's longest interval, or empty when its cron does not parse or fires fewer than twice. */
    static Optional<Duration> interval(DumpJobConfig job, Instant now) {
        try {
            return CronSchedule.parse(job.getCron(), job.getTimeZone()).longestGap(now, INTERVAL_HORIZON);
        } catch (RuntimeException e) {
            return Optional.empty(); // config-service validates cron expressions; an old record may not parse
        }
    }

    /** Seconds as "3 d 4 h", "5 h 10 min", "42 s". */
    static String human(long seconds) {
        if (seconds >= 86_400) {
            return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }
}
