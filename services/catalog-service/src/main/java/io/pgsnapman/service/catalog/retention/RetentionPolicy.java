package io.pgsnapman.service.catalog.retention;

import io.pgsnapman.events.config.Retention;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides, for every dump of one dump job not yet expired, whether it stays and by which rule, or expires and why.
 * Pure: the same job, dumps and time give the same decisions, and applying them changes nothing on a second pass.
 *
 * <p>A dump is <em>usable</em> when it SUCCEEDED and no check found it damaged (VERIFIED, or NOT_VERIFIED for a
 * job that does not verify). Usable dumps are kept grandfather-father-son in the job's time zone: the newest of
 * each of the last {@code keepDaily} local days that have a usable dump, likewise ISO weeks, months and years —
 * counted over the days that have dumps, so a run of failures, or a job that stopped, never pushes good dumps
 * out — plus the newest {@code minCount} and the newest one. A FAILED or damaged dump stays {@code keepFailedDays}.
 * Pinned dumps and dumps a restore job would restore never expire; a HALTED job keeps everything; a deleted job
 * keeps everything for a grace period, then only what is pinned or in use.
 */
public final class RetentionPolicy {

    private RetentionPolicy() {}

    /** Whether the job is configured, halted, or gone (and since when). */
    public enum JobStatus { ACTIVE, HALTED, DELETED }

    /**
     * The job as retention needs it.
     *
     * @param retention         its keep counts
     * @param zone              its time zone: local days, weeks, months and years are counted there
     * @param status            active, halted or deleted
     * @param deletedSince      when the job was found deleted (null unless DELETED)
     * @param deletedJobGrace   how long a deleted job's dumps stay
     */
    public record Job(Retention retention, ZoneId zone, JobStatus status, Instant deletedSince, Duration deletedJobGrace) {
        public Job {
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(status, "status");
            if (status == JobStatus.DELETED) {
                Objects.requireNonNull(deletedSince, "deletedSince");
            }
        }
    }

    /**
     * One dump of the job.
     *
     * @param dumpId      its id
     * @param scheduledAt the time it stands for (local days and weeks are taken from it)
     * @param succeeded   outcome SUCCEEDED
     * @param damaged     a check found it damaged (VERIFICATION_FAILED)
     * @param pinned      pinned
     * @param inUse       a restore job would restore it
     */
    public record Dump(String dumpId, Instant scheduledAt, boolean succeeded, boolean damaged, boolean pinned,
            boolean inUse) {
        boolean usable() {
            return succeeded && !damaged;
        }
    }

    /** What becomes of one dump, and by which rule. */
    public record Decision(String dumpId, RetentionRule rule) {
        public boolean expires() {
            return !rule.keeps();
        }
    }

    /** The decisions for {@code dumps} at {@code now}, newest dump first. */
    public static List<Decision> decide(Job job, List<Dump> dumps, Instant now) {
        List<Dump> newestFirst = dumps.stream()
                .sorted(Comparator.comparing(Dump::scheduledAt).thenComparing(Dump::dumpId).reversed()).toList();
        Map<String, RetentionRule> rules = new LinkedHashMap<>();
        newestFirst.forEach(d -> rules.put(d.dumpId(), null));
        for (Dump dump : newestFirst) {
            if (dump.pinned()) {
                rules.put(dump.dumpId(), RetentionRule.PINNED);
            } else if (dump.inUse()) {
                rules.put(dump.dumpId(), RetentionRule.IN_USE);
            }
        }
        switch (job.status()) {
            case HALTED -> fill(rules, RetentionRule.HALTED_JOB);
            case DELETED -> fill(rules, now.isBefore(job.deletedSince().plus(job.deletedJobGrace()))
                    ? RetentionRule.DELETED_JOB_GRACE : RetentionRule.DELETED_JOB);
            case ACTIVE -> active(job, newestFirst, now, rules);
        }
        List<Decision> decisions = new ArrayList<>();
        rules.forEach((id, rule) -> decisions.add(new Decision(id, rule)));
        return decisions;
    }

    private static void active(Job job, List<Dump> newestFirst, Instant now, Map<String, RetentionRule> rules) {
        Retention r = job.retention();
        List<Dump> usable = newestFirst.stream().filter(Dump::usable).toList();
        if (!usable.isEmpty()) {
            keep(rules, usable.get(0), RetentionRule.NEWEST);
        }
        ZoneId zone = job.zone();
        keepNewestPer(usable, r.getKeepDaily(), d -> local(d, zone), RetentionRule.DAILY, rules);
        keepNewestPer(usable, r.getKeepWeekly(), d -> local(d, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                RetentionRule.WEEKLY, rules);
        keepNewestPer(usable, r.getKeepMonthly(), d -> local(d, zone).withDayOfMonth(1), RetentionRule.MONTHLY, rules);
        keepNewestPer(usable, r.getKeepYearly(), d -> local(d, zone).withDayOfYear(1), RetentionRule.YEARLY, rules);
        for (int i = 0; i < Math.min(Math.max(0, r.getMinCount()), usable.size()); i++) {
            keep(rules, usable.get(i), RetentionRule.MIN_COUNT);
        }
        Instant failedCutoff = now.minus(Duration.ofDays(Math.max(0, r.getKeepFailedDays())));
        for (Dump dump : newestFirst) {
            if (!dump.usable()) {
                keep(rules, dump, dump.scheduledAt().isAfter(failedCutoff) ? RetentionRule.FAILED_RECENT
                        : RetentionRule.FAILED_TOO_OLD);
            }
        }
        fill(rules, RetentionRule.NOT_KEPT);
    }

    /**
     * Keeps the newest dump of each of the first {@code count} periods (newest first) that have one. A week is
     * keyed by its Monday, which is the ISO week.
     */
    private static void keepNewestPer(List<Dump> usableNewestFirst, int count, Function<Dump, LocalDate> period,
            RetentionRule rule, Map<String, RetentionRule> rules) {
        Set<LocalDate> periods = new HashSet<>();
        for (Dump dump : usableNewestFirst) {
            if (periods.size() >= count && !periods.contains(period.apply(dump))) {
                return;
            }
            if (periods.add(period.apply(dump))) {
                keep(rules, dump, rule);
            }
        }
    }

    private static LocalDate local(Dump dump, ZoneId zone) {
        return dump.scheduledAt().atZone(zone).toLocalDate();
    }

    /** Keeps the dump by {@code rule} unless an earlier rule holds it already. */
    private static void keep(Map<String, RetentionRule> rules, Dump dump, RetentionRule rule) {
        rules.putIfAbsent(dump.dumpId(), rule);
    }

    private static void fill(Map<String, RetentionRule> rules, RetentionRule rule) {
        rules.replaceAll((id, current) -> current == null ? rule : current);
    }
}
