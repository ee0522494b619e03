package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.VerificationPolicy;
import io.pgsnapman.events.config.Retention;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Retention end to end, on a catalog-service whose clock stands still: forty dumps of two jobs over seven months
 * are written to the repository and announced; the policy expires what it lets go through EXPIRED events, the
 * dump-worker deletes those dumps and answers DELETED, and exactly the expected dumps remain in the catalog and
 * in the repository.
 */
@WithPostgres(servers = 1)
class RetentionIT {

    private static final Instant NOW = Instant.parse("2026-07-21T12:00:00Z");

    @Test
    void fortyDumpsOfTwoJobsExpireByTheirPoliciesThroughTheEventsAndLeaveExactlyTheKeptOnes(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path work) throws Exception {
        // Given job-a (UTC: 3 dailies, failures kept 7 days, 1 at least) and job-b (Berlin: 2 dailies, 3 monthlies)
        Stack stack = new Stack(broker, registry, servers.get(0), work, new MutableClock(NOW));
        stack.createDatabase("pgsnapman_catalog");
        stack.publish(Topics.CONFIG_DUMP_JOBS.name(), "job-a", job("job-a", "UTC", retention(3, 0, 0, 1, 7)));
        stack.publish(Topics.CONFIG_DUMP_JOBS.name(), "job-b", job("job-b", "Europe/Berlin", retention(2, 0, 3, 0, 7)));
        // job-a: a dump every day 1 to 20 July (10 and 19 July FAILED), and one pinned from March
        // job-b: one on the 15th of January to June, and one every day 1 to 13 July
        List<DumpCompleted> dumps = new ArrayList<>();
        dumps.add(dump("job-a", LocalDate.of(2026, 3, 1), true, true));
        for (int day = 1; day <= 20; day++) {
            dumps.add(dump("job-a", LocalDate.of(2026, 7, day), day != 10 && day != 19, false));
        }
        for (int month = 1; month <= 6; month++) {
            dumps.add(dump("job-b", LocalDate.of(2026, month, 15), true, false));
        }
        for (int day = 1; day <= 13; day++) {
            dumps.add(dump("job-b", LocalDate.of(2026, 7, day), true, false));
        }
        assertThat(dumps).hasSize(40);
        FilesystemDumpRepository repository = new FilesystemDumpRepository(stack.repository());
        for (DumpCompleted dump : dumps) {
            if (dump.getOutcome() == Outcome.SUCCEEDED) {
                write(repository, dump);
            }
        }
        long bytesBefore = bytesOf(stack.repository().resolve("dumps"));
        Set<String> expectedKept = Set.of(id("job-a", 2026, 7, 20), id("job-a", 2026, 7, 18), id("job-a", 2026, 7, 17),
                id("job-a", 2026, 7, 19), id("job-a", 2026, 3, 1),
                id("job-b", 2026, 7, 13), id("job-b", 2026, 7, 12), id("job-b", 2026, 6, 15), id("job-b", 2026, 5, 15));

        try (ServiceApps.Running catalog = stack.catalogService(Map.of("pgsnapman.catalog.maintenance.check-every", "0s",
                "pgsnapman.catalog.maintenance.gc-every", "0s"));
                ServiceApps.Running worker = stack.dumpWorker("retention-worker")) {
            ApiClient api = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);

            // When the dumps are announced, oldest first, as the workers would
            for (DumpCompleted dump : dumps) {
                stack.publish(Topics.DUMP_COMPLETED.name(), dump.getDumpJobId(), dump);
            }

            // Then every dump is cataloged, and all but the expected ones end DELETED
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                List<JsonNode> all = entries(api);
                assertThat(all).hasSize(40);
                assertThat(all).allSatisfy(e -> assertThat(e.get("retentionState") == null ? "kept"
                        : e.get("retentionState").asString()).as(e.get("dumpId").asString())
                        .isEqualTo(expectedKept.contains(e.get("dumpId").asString()) ? "kept" : "DELETED"));
            });
            // and the expired ones say why: July's surplus days no rule keeps, the old failure is too old
            Map<String, String> rules = new java.util.HashMap<>();
            entries(api).forEach(e -> rules.put(e.get("dumpId").asString(),
                    e.get("retentionRule") == null ? null : e.get("retentionRule").asString()));
            assertThat(rules).containsEntry(id("job-a", 2026, 7, 10), "failed-too-old")
                    .containsEntry(id("job-a", 2026, 7, 16), "no-rule-keeps-it")
                    .containsEntry(id("job-b", 2026, 4, 15), "no-rule-keeps-it");

            // and the repository holds exactly the kept dumps that have data, and fewer bytes
            for (DumpCompleted dump : dumps) {
                boolean kept = expectedKept.contains(dump.getDumpId()) && dump.getOutcome() == Outcome.SUCCEEDED;
                assertThat(repository.open(dump.getDumpId()).isPresent()).as(dump.getDumpId()).isEqualTo(kept);
            }
            assertThat(bytesOf(stack.repository().resolve("dumps"))).isLessThan(bytesBefore / 3);

            // and a dry run now expires nothing, naming the rule that keeps each dump
            JsonNode preview = api.get("/api/v1/retention/preview?dumpJobId=job-a").body().get(0);
            assertThat(preview.get("dumps").valueStream().filter(d -> d.get("expires").asBoolean())).isEmpty();
            assertThat(preview.get("dumps").valueStream().map(d -> d.get("dumpId").asString() + "=" + d.get("rule").asString()))
                    .containsExactlyInAnyOrder(id("job-a", 2026, 7, 20) + "=newest", id("job-a", 2026, 7, 19) + "=failed-recent",
                            id("job-a", 2026, 7, 18) + "=daily", id("job-a", 2026, 7, 17) + "=daily",
                            id("job-a", 2026, 3, 1) + "=pinned");

            // When an EXPIRED is replayed for a dump already deleted, and a DELETED comes for a dump nobody knows
            CatalogEvent replay = CatalogEvent.newBuilder(SampleEvents.catalogEvent()).setHeader(SampleEvents.header()).setDumpId(id("job-a", 2026, 7, 16))
                    .setDumpJobId("job-a").setType(CatalogEventType.EXPIRED).setReason("expired: replayed").build();
            stack.publish(Topics.CATALOG_EVENTS.name(), replay.getDumpId(), replay);
            stack.publish(Topics.CATALOG_EVENTS.name(), "job-x/20260101T000000Z", CatalogEvent.newBuilder(replay)
                    .setHeader(SampleEvents.header()).setDumpId("job-x/20260101T000000Z").setType(CatalogEventType.DELETED).build());

            // Then the worker answers DELETED with nothing to delete, and the catalog is as it was
            List<CatalogEvent> answers = TopicRecords.readUntil(broker, Topics.CATALOG_EVENTS.name(),
                            stack.<CatalogEvent>deserializer(), list -> list.stream().anyMatch(r -> isNothingDeleted(r, replay)),
                            Duration.ofSeconds(60))
                    .stream().map(ConsumerRecord::value).toList();
            assertThat(answers.stream().filter(e -> e.getType() == CatalogEventType.DELETED
                    && e.getDumpId().equals(replay.getDumpId()))).hasSize(2);
            assertThat(entries(api)).hasSize(40);
            assertThat(entries(api).stream().filter(e -> e.get("retentionState") == null)).hasSize(expectedKept.size());
        }
    }

    private static boolean isNothingDeleted(ConsumerRecord<String, CatalogEvent> record, CatalogEvent replay) {
        return record.value().getType() == CatalogEventType.DELETED && record.value().getDumpId().equals(replay.getDumpId())
                && record.value().getReason().startsWith("nothing to delete");
    }

    private static List<JsonNode> entries(ApiClient api) {
        List<JsonNode> all = new ArrayList<>();
        for (String job : List.of("job-a", "job-b")) {
            api.get("/api/v1/dumps?size=100&dumpJobId=" + job).body().get("items").valueStream().forEach(all::add);
        }
        return all;
    }

    private static Retention retention(int daily, int weekly, int monthly, int minCount, int failedDays) {
        return Retention.newBuilder().setKeepDaily(daily).setKeepWeekly(weekly).setKeepMonthly(monthly).setKeepYearly(0)
                .setMinCount(minCount).setKeepFailedDays(failedDays).build();
    }

    private static DumpJobConfig job(String id, String zone, Retention retention) {
        return DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig()).setHeader(SampleEvents.header()).setDumpJobId(id)
                .setName(id).setState(JobState.ACTIVE).setTimeZone(zone).setRetention(retention)
                .setVerification(VerificationPolicy.newBuilder().build()).build();
    }

    private static String id(String job, int year, int month, int day) {
        return job + "/" + String.format("%04d%02d%02dT020000Z", year, month, day);
    }

    private static DumpCompleted dump(String job, LocalDate day, boolean succeeded, boolean pinned) {
        Instant at = day.atTime(2, 0).toInstant(java.time.ZoneOffset.UTC);
        String dumpId = id(job, day.getYear(), day.getMonthValue(), day.getDayOfMonth());
        return DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setHeader(SampleEvents.header()).setDumpId(dumpId)
                .setDumpJobId(job).setOutcome(succeeded ? Outcome.SUCCEEDED : Outcome.FAILED)
                .setFailure(succeeded ? null : SampleEvents.dumpCompleted().getFailure())
                .setVerification(succeeded ? VerificationStatus.VERIFIED : VerificationStatus.NOT_VERIFIED)
                .setPinned(pinned).setScheduledAt(at).setStartedAt(at).setFinishedAt(at.plusSeconds(60)).build();
    }

    /** A small complete dump in the repository, as a worker leaves one. */
    private static void write(FilesystemDumpRepository repository, DumpCompleted dump) throws Exception {
        try (DumpWriter writer = repository.begin(dump.getDumpId())) {
            Files.createDirectories(writer.directory());
            Files.writeString(writer.directory().resolve("toc.dat"), "rows of " + dump.getDumpId() + "\n".repeat(4_000));
            writer.commit(Manifest.builder().dumpId(dump.getDumpId()).dumpJobId(dump.getDumpJobId()).serverId("srv-1")
                    .databaseName("crm").dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(dump.getScheduledAt()).verified(true).pinned(dump.getPinned()).build());
        }
    }

    private static long bytesOf(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
