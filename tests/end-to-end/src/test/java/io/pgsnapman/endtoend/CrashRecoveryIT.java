package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers as real processes, killed with SIGKILL in the middle of their work (the JVM and its pg_dump or
 * pg_restore with it, as when a pod dies): nothing half-done is published, a second worker process redoes
 * the request once the first one's lease has gone stale, and what the crash left — a partial dump in the
 * staging area, a temporary database on the target — is removed.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class CrashRecoveryIT {

    /** Short, so the second worker takes over in seconds; the broker's minimum session timeout is 6 s. */
    private static final String LEASE_STALE_AFTER = "6s";

    @Test
    void aDumpWorkerKilledMidDumpPublishesNothingAndASecondWorkerRedoesTheDumpAndSweepsTheLeftovers(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path work) throws Exception {
        // Given a database whose table a transaction keeps locked, so pg_dump waits inside it
        PostgresServer production = servers.get(0);
        createTable(production, "crm", "contacts", 20_000);
        Stack stack = new Stack(broker, registry, servers.get(1), work, null);
        stack.credential("crm", production.password());
        stack.publish(Topics.CONFIG_SERVERS.name(), "srv-crm", Stack.server("srv-crm", production, "crm"));
        String dumpId = "job-crash/20260401T020000Z";
        Path staging = stack.repository().resolve(".staging");
        try (Connection locker = production.connect("crm"); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE");

            // When a worker process takes the tick and is killed while its pg_dump waits
            try (WorkerProcess first = WorkerProcess.start("dump-worker", workerSettings(broker, registry, stack, "dump-worker",
                    "worker-a"), work)) {
                stack.publish(Topics.SCHEDULE_TICKS.name(), "srv-crm", tick(dumpId));
                awaitShowingLog(first, Duration.ofSeconds(60), Duration.ofMillis(100),
                        () -> waitingOnLock(production) && partialDumps(staging) == 1);
                first.kill();
            }
            // Then the crash left a partial dump behind, and nothing complete
            assertThat(partialDumps(staging)).isEqualTo(1);
            assertThat(new FilesystemDumpRepository(stack.repository()).open(dumpId)).isEmpty();
            locker.rollback();
        }

        // And when a second worker process starts, it redoes the dump once the first one's lease is stale
        try (WorkerProcess second = WorkerProcess.start("dump-worker", workerSettings(broker, registry, stack, "dump-worker",
                "worker-b"), work)) {
            List<DumpCompleted> outcomes = TopicRecords.readUntil(broker, Topics.DUMP_COMPLETED.name(), stack.<DumpCompleted>deserializer(),
                            list -> list.stream().anyMatch(r -> r.value().getDumpId().equals(dumpId)), Duration.ofSeconds(120))
                    .stream().map(ConsumerRecord::value).filter(o -> o.getDumpId().equals(dumpId)).toList();

            // Then the only outcome is the second worker's, SUCCEEDED, and the dump is complete
            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.getOutcome()).as(String.valueOf(o.getFailure())).isEqualTo(Outcome.SUCCEEDED);
                assertThat(o.getWorkerId()).isEqualTo("worker-b");
            });
            assertThat(new FilesystemDumpRepository(stack.repository()).open(dumpId)).isPresent();
            // and the first worker's partial dump is swept away
            awaitShowingLog(second, Duration.ofSeconds(60), Duration.ofMillis(200), () -> partialDumps(staging) == 0);
        }
    }

    @Test
    void aRestoreWorkerKilledMidRestoreLeavesTheTargetUntouchedAndASecondWorkerRedoesItAndDropsTheLeftovers(
            KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers, @TempDir Path work) throws Exception {
        // Given a verified dump of a table large enough for pg_restore to take a few seconds
        PostgresServer source = servers.get(0);
        PostgresServer target = servers.get(1);
        createTable(source, "ledger", "entries", 1_500_000);
        Stack stack = new Stack(broker, registry, target, work, null);
        stack.credential("target", target.password());
        String dumpId = "job-ledger/20260501T020000Z";
        writeDump(source, stack.repository(), dumpId, 1_500_000);
        stack.publish(Topics.CONFIG_SERVERS.name(), "srv-target", Stack.server("srv-target", target, "target"));
        // and a target database holding data of its own
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE ledger_copy");
        }
        try (Connection c = target.connect("ledger_copy"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept AS SELECT 42 AS answer");
        }
        RestoreRequested request = RestoreRequested.newBuilder().setHeader(SampleEvents.header())
                .setRestoreRequestId("crash-" + Instant.now().toEpochMilli()).setDumpId(dumpId).setSourceDumpJobId(null)
                .setTargetServerId("srv-target").setTargetDatabaseName("ledger_copy")
                .setOptions(RestoreOptions.newBuilder().setExistingDatabase(ExistingDatabasePolicy.DROP).build())
                .setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null).setRequestedBy("crash-test").build();

        // When a worker process starts the restore and is killed while pg_restore loads the data
        try (WorkerProcess first = WorkerProcess.start("restore-worker", workerSettings(broker, registry, stack,
                "restore-worker", "restorer-a"), work)) {
            stack.publish(Topics.RESTORE_REQUESTED.name(), "srv-target", request);
            awaitShowingLog(first, Duration.ofSeconds(90), Duration.ofMillis(20), () -> restoringInto(target) != null);
            first.kill();
        }

        // Then the target is as it was, and the temporary database is still there
        assertThat(databases(target, "ledger_copy\\_pgsnapman\\_%")).hasSize(1);
        assertThat(query(target, "ledger_copy", "SELECT answer FROM kept")).isEqualTo(42);
        // (and an older leftover whose restore will never come again)
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE orphan_pgsnapman_1");
            st.execute("COMMENT ON DATABASE orphan_pgsnapman_1 IS 'pgsnapman: restore in progress under lease restores/gone'");
        }

        // And when a second worker process starts, it redoes the restore once the first one's lease is stale
        try (WorkerProcess second = WorkerProcess.start("restore-worker", workerSettings(broker, registry, stack,
                "restore-worker", "restorer-b"), work)) {
            List<RestoreCompleted> answers = stack.awaitValues(Topics.RESTORE_COMPLETED.name(), request.getRestoreRequestId(), 1);

            // Then it is answered once, SUCCEEDED, by the second worker, and the target holds the dump's data
            assertThat(answers).singleElement().satisfies(a -> {
                assertThat(a.getOutcome()).as(String.valueOf(a.getFailure())).isEqualTo(Outcome.SUCCEEDED);
                assertThat(a.getWorkerId()).isEqualTo("restorer-b");
            });
            assertThat(query(target, "ledger_copy", "SELECT count(*) FROM entries")).isEqualTo(1_500_000);
            // and no temporary database is left: the crashed one was replaced, the orphan swept
            awaitShowingLog(second, Duration.ofSeconds(60), Duration.ofMillis(200),
                    () -> databases(target, "%\\_pgsnapman\\_%").isEmpty());
        }
    }

    /** Waits for a condition; on time-out, fails with the end of the worker's log. */
    private static void awaitShowingLog(WorkerProcess worker, Duration atMost, Duration poll, Callable<Boolean> condition) {
        try {
            await().atMost(atMost).pollInterval(poll).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n--- worker log ---\n" + worker.tail(), e);
        }
    }

    private static Map<String, String> workerSettings(KafkaBroker broker, SchemaRegistryServer registry, Stack stack,
            String service, String instance) {
        Map<String, String> settings = WorkerProcess.settings(broker, registry, stack, service, instance);
        settings.put("pgsnapman." + service + ".lease-stale-after", LEASE_STALE_AFTER);
        return settings;
    }

    private static DumpRequested tick(String dumpId) {
        return DumpRequested.newBuilder(SampleEvents.dumpRequested()).setDumpId(dumpId)
                .setDumpJobId(dumpId.substring(0, dumpId.indexOf('/'))).setServerId("srv-crm").setWorkerPool("default")
                .setSpec(DumpSpec.newBuilder().setDumpType(DumpType.FULL).setDatabaseName("crm").setParallelJobs(1)
                        .setCompressionLevel(null).setSchemaName(null).setExcludeSchemas(List.of())
                        .setExcludeTableData(List.of()).build())
                .setTrigger(DumpTrigger.CRON).setNotBefore(null).setScheduledAt(Instant.parse("2026-04-01T02:00:00Z"))
                .setVerify(true).setPin(false).build();
    }

    private static void createTable(PostgresServer pg, String database, String table, int rows) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " AS SELECT g AS id, md5(g::text) AS memo FROM generate_series(1, " + rows + ") g");
            st.execute("ALTER TABLE " + table + " ADD PRIMARY KEY (id)");
        }
    }

    /** A verified dump written with pg_dump straight into the repository, as a dump-worker would leave it. */
    private static void writeDump(PostgresServer source, Path repository, String dumpId, long rows) throws Exception {
        try (DumpWriter writer = new FilesystemDumpRepository(repository).begin(dumpId)) {
            ProcessBuilder pgDump = new ProcessBuilder(source.binDir().resolve("pg_dump").toString(), "--format=directory",
                    "--file=" + writer.directory(), "-h", source.host(), "-p", Integer.toString(source.port()), "-U", "postgres",
                    "ledger").redirectErrorStream(true);
            pgDump.environment().put("PGPASSWORD", source.password());
            Process p = pgDump.start();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(output).isZero();
            writer.commit(Manifest.builder().dumpId(dumpId).dumpJobId("job-ledger").serverId("srv-source")
                    .databaseName("ledger").dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(Instant.parse("2026-05-01T02:00:00Z")).startedAt(Instant.now()).finishedAt(Instant.now())
                    .serverVersion("15").pgDumpVersion("15")
                    .tables(List.of(new Manifest.TableRows("public", "entries", rows, true))).verified(true).build());
        }
    }

    private static boolean waitingOnLock(PostgresServer pg) throws Exception {
        return query(pg, "postgres", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgsnapman-dump-worker'"
                + " AND wait_event_type = 'Lock'") > 0;
    }

    /** The temporary database a running pg_restore is filling, or null. */
    private static String restoringInto(PostgresServer pg) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT datname FROM pg_stat_activity WHERE datname LIKE 'ledger_copy\\_pgsnapman\\_%'"
                        + " AND state = 'active' AND query ILIKE 'COPY%'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long partialDumps(Path staging) throws Exception {
        try (Stream<Path> entries = Files.list(staging)) {
            return entries.filter(Files::isDirectory).count();
        }
    }

    private static List<String> databases(PostgresServer pg, String like) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + like + "'")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static long query(PostgresServer pg, String database, String sql) throws Exception {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
