package io.pgsnapman.service.catalog.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.Retention;
import io.pgsnapman.service.catalog.retention.RetentionPolicy.Decision;
import io.pgsnapman.service.catalog.retention.RetentionPolicy.Dump;
import io.pgsnapman.service.catalog.retention.RetentionPolicy.Job;
import io.pgsnapman.service.catalog.retention.RetentionPolicy.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static Retention retention(int daily, int weekly, int monthly, int yearly, int minCount, int failedDays) {
        return Retention.newBuilder().setKeepDaily(daily).setKeepWeekly(weekly).setKeepMonthly(monthly).setKeepYearly(yearly)
                .setMinCount(minCount).setKeepFailedDays(failedDays).build();
    }

    private static Job active(Retention retention, ZoneId zone) {
        return new Job(retention, zone, JobStatus.ACTIVE, null, Duration.ofDays(30));
    }

    private static Dump ok(String id, String at) {
        return new Dump(id, Instant.parse(at), true, false, false, false);
    }

    private static Map<String, RetentionRule> rules(List<Decision> decisions) {
        Map<String, RetentionRule> rules = new HashMap<>();
        decisions.forEach(d -> rules.put(d.dumpId(), d.rule()));
        return rules;
    }

    @Test
    void dailiesKeepTheNewestDumpOfEachOfTheLastLocalDaysThatHaveOne() {
        // Given three dumps on one Berlin day (the last at 23:30 local, 22:30 UTC) and one on each of two days before
        List<Dump> dumps = List.of(ok("d3-a", "2026-11-29T01:00:00Z"), ok("d3-b", "2026-11-29T12:00:00Z"),
                ok("d3-c", "2026-11-29T22:30:00Z"), ok("d2", "2026-11-28T12:00:00Z"), ok("d1", "2026-11-27T12:00:00Z"));

        // When two dailies are kept
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(active(retention(2, 0, 0, 0, 0, 7), BERLIN), dumps, NOW));

        // Then the newest of the last two days stay, the rest expire
        assertThat(rules).containsEntry("d3-c", RetentionRule.NEWEST).containsEntry("d2", RetentionRule.DAILY)
                .containsEntry("d3-a", RetentionRule.NOT_KEPT).containsEntry("d3-b", RetentionRule.NOT_KEPT)
                .containsEntry("d1", RetentionRule.NOT_KEPT);
    }

    @Test
    void weekliesMonthliesAndYearliesKeepTheNewestOfEachPeriod() {
        // Given one dump a week on Sundays since the start of 2025
        List<Dump> dumps = new ArrayList<>();
        for (LocalDate day = LocalDate.of(2025, 1, 5); day.isBefore(LocalDate.of(2026, 11, 30)); day = day.plusWeeks(1)) {
            dumps.add(ok(day.toString(), day + "T02:00:00Z"));
        }

        // When 3 weeklies, 2 monthlies and 2 yearlies are kept
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(active(retention(0, 3, 2, 2, 0, 7), ZoneId.of("UTC")),
                dumps, NOW));

        // Then exactly the newest of the last three weeks, of November and October, and of 2026 and 2025 stay
        Map<String, RetentionRule> kept = rules.entrySet().stream().filter(e -> e.getValue().keeps())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(kept).containsOnly(Map.entry("2026-11-29", RetentionRule.NEWEST),
                Map.entry("2026-11-22", RetentionRule.WEEKLY), Map.entry("2026-11-15", RetentionRule.WEEKLY),
                Map.entry("2026-10-25", RetentionRule.MONTHLY), Map.entry("2025-12-28", RetentionRule.YEARLY));
    }

    @Test
    void failuresNeverPushGoodDumpsOutAndAreKeptForTheirDays() {
        // Given two good dumps a month ago, then a month of daily failures
        List<Dump> dumps = new ArrayList<>(List.of(ok("good-1", "2026-10-29T02:00:00Z"), ok("good-2", "2026-10-30T02:00:00Z")));
        for (int day = 1; day <= 29; day++) {
            dumps.add(new Dump("failed-" + day, Instant.parse("2026-11-01T02:00:00Z").plus(Duration.ofDays(day - 1)),
                    false, false, false, false));
        }

        // When two dailies and failures for 7 days are kept
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(active(retention(2, 0, 0, 0, 0, 7), BERLIN), dumps, NOW));

        // Then both good dumps stay, the last week's failures stay, older failures go
        assertThat(rules).containsEntry("good-2", RetentionRule.NEWEST).containsEntry("good-1", RetentionRule.DAILY)
                .containsEntry("failed-29", RetentionRule.FAILED_RECENT).containsEntry("failed-24", RetentionRule.FAILED_RECENT)
                .containsEntry("failed-23", RetentionRule.FAILED_TOO_OLD).containsEntry("failed-1", RetentionRule.FAILED_TOO_OLD);
    }

    @Test
    void aHaltedJobKeepsEverythingAndADeletedOneKeepsItsDumpsForTheGraceThenOnlyPinnedOnes() {
        List<Dump> dumps = List.of(ok("old", "2020-01-01T00:00:00Z"),
                new Dump("pinned", Instant.parse("2020-01-02T00:00:00Z"), true, false, true, false));
        Retention none = retention(0, 0, 0, 0, 0, 0);

        assertThat(RetentionPolicy.decide(new Job(none, BERLIN, JobStatus.HALTED, null, Duration.ofDays(30)), dumps, NOW))
                .extracting(Decision::rule).containsOnly(RetentionRule.PINNED, RetentionRule.HALTED_JOB);
        Instant deleted = NOW.minus(Duration.ofDays(10));
        assertThat(rules(RetentionPolicy.decide(new Job(none, BERLIN, JobStatus.DELETED, deleted, Duration.ofDays(30)), dumps,
                NOW))).containsEntry("old", RetentionRule.DELETED_JOB_GRACE);
        assertThat(rules(RetentionPolicy.decide(new Job(none, BERLIN, JobStatus.DELETED, deleted, Duration.ofDays(5)), dumps,
                NOW))).containsEntry("old", RetentionRule.DELETED_JOB).containsEntry("pinned", RetentionRule.PINNED);
    }

    // Properties over random jobs and histories

    @Provide
    Arbitrary<Retention> retentions() {
        return Combinators.combine(Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 6),
                        Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 10))
                .as(RetentionPolicyTest::retention);
    }

    @Provide
    Arbitrary<List<Dump>> histories() {
        Arbitrary<Dump> dump = Combinators.combine(Arbitraries.longs().between(0, 400L * 24 * 60), // minutes back from NOW
                        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 19),
                        Arbitraries.integers().between(0, 19), Arbitraries.strings().alpha().ofLength(6))
                .as((minutesBack, outcome, pin, use, id) -> new Dump(id + minutesBack, NOW.minus(Duration.ofMinutes(minutesBack)),
                        outcome > 0, outcome == 1, pin == 0, use == 0));
        return dump.list().ofMaxSize(80).uniqueElements(Dump::dumpId);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZoneId.of("UTC"), BERLIN, ZoneId.of("America/New_York"), ZoneId.of("Pacific/Chatham"),
                ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kolkata"));
    }

    @Property(tries = 300)
    void neverExpiresAPinnedOrInUseDumpNorTheNewestUsableOne(@ForAll("retentions") Retention retention,
            @ForAll("histories") List<Dump> dumps, @ForAll("zones") ZoneId zone) {
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(active(retention, zone), dumps, NOW));
        for (Dump dump : dumps) {
            if (dump.pinned() || dump.inUse()) {
                assertThat(rules.get(dump.dumpId()).keeps()).as(dump.toString()).isTrue();
            }
        }
        dumps.stream().filter(Dump::usable).max(java.util.Comparator.comparing(Dump::scheduledAt).thenComparing(Dump::dumpId))
                .ifPresent(newest -> assertThat(rules.get(newest.dumpId()).keeps()).isTrue());
    }

    @Property(tries = 300)
    void keepsAtLeastMinCountUsableDumps(@ForAll("retentions") Retention retention, @ForAll("histories") List<Dump> dumps,
            @ForAll("zones") ZoneId zone) {
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(active(retention, zone), dumps, NOW));
        long usable = dumps.stream().filter(Dump::usable).count();
        long keptUsable = dumps.stream().filter(Dump::usable).filter(d -> rules.get(d.dumpId()).keeps()).count();
        assertThat(keptUsable).isGreaterThanOrEqualTo(Math.min(usable, retention.getMinCount()));
    }

    @Property(tries = 300)
    void aSecondPassOverWhatStaysExpiresNothing(@ForAll("retentions") Retention retention,
            @ForAll("histories") List<Dump> dumps, @ForAll("zones") ZoneId zone) {
        Job job = active(retention, zone);
        Map<String, RetentionRule> first = rules(RetentionPolicy.decide(job, dumps, NOW));
        List<Dump> staying = dumps.stream().filter(d -> first.get(d.dumpId()).keeps()).toList();
        Map<String, RetentionRule> second = rules(RetentionPolicy.decide(job, staying, NOW));
        assertThat(second.values()).allMatch(RetentionRule::keeps);
        assertThat(second).isEqualTo(first.entrySet().stream().filter(e -> e.getValue().keeps())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Property(tries = 300)
    void everyLocalDayWithinTheDailiesKeepsExactlyOneDailyWhateverTheZone(@ForAll("histories") List<Dump> dumps,
            @ForAll("zones") ZoneId zone) {
        // Only dailies, so no other rule keeps a second dump of a day
        List<Dump> plain = dumps.stream().map(d -> new Dump(d.dumpId(), d.scheduledAt(), true, false, false, false)).toList();
        Job job = active(retention(5, 0, 0, 0, 0, 0), zone);
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(job, plain, NOW));
        Map<LocalDate, List<Dump>> byDay = plain.stream().collect(Collectors.groupingBy(d -> d.scheduledAt().atZone(zone).toLocalDate()));
        List<LocalDate> lastDays = byDay.keySet().stream().sorted(java.util.Comparator.reverseOrder()).limit(5).toList();
        for (Map.Entry<LocalDate, List<Dump>> day : byDay.entrySet()) {
            long kept = day.getValue().stream().filter(d -> rules.get(d.dumpId()).keeps()).count();
            assertThat(kept).as("dumps kept on %s in %s", day.getKey(), zone).isEqualTo(lastDays.contains(day.getKey()) ? 1 : 0);
        }
    }

    @Test
    void aDstNightDoesNotSplitOrMergeALocalDay() {
        // Given dumps at 01:30 and 03:30 Berlin time on the night the clocks go back (02:00-03:00 twice) and forward
        ZonedDateTime autumn = ZonedDateTime.of(2026, 10, 25, 1, 30, 0, 0, BERLIN);
        ZonedDateTime spring = ZonedDateTime.of(2026, 3, 29, 1, 30, 0, 0, BERLIN);
        List<Dump> dumps = List.of(ok("autumn-early", autumn.toInstant().toString()),
                ok("autumn-late", autumn.plusHours(3).toInstant().toString()),
                ok("spring-early", spring.toInstant().toString()), ok("spring-late", spring.plusHours(2).toInstant().toString()));

        // When dailies are kept for many days
        Map<String, RetentionRule> rules = rules(RetentionPolicy.decide(active(retention(400, 0, 0, 0, 0, 0), BERLIN), dumps, NOW));

        // Then each of the two local days keeps one dump: its last
        assertThat(rules.entrySet().stream().filter(e -> e.getValue().keeps()).map(Map.Entry::getKey).collect(Collectors.toSet()))
                .isEqualTo(Set.of("autumn-late", "spring-late"));
    }
}
