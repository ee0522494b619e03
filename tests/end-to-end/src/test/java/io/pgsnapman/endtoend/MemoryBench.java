package io.pgsnapman.endtoend;

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
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Memory stays flat in dump size: one table of {@code bench.gigabytes} (default 2) of text is dumped with dedup by a
 * dump-worker process held to {@code -Xmx256m}, then restored by a restore-worker process held to the same (its
 * data file piped to pg_restore from the chunks). Prints each outcome and time, the peak resident memory of each
 * worker's JVM (VmHWM; its tools not counted), and the peak bytes in the dump's staging and the restore's scratch
 * directories. Run by {@code bench/dedup-memory.sh}; needs the services' boot jars ({@code ./mvnw package}).
 */
public final class MemoryBench {

    private static final int BYTES_PER_ROW = 108; // the id, a tab, 96 hex digits and a newline, as COPY writes them

    public static void main(String[] args) throws Exception {
        double gigabytes = Double.parseDouble(System.getProperty("bench.gigabytes", "2"));
        long rows = (long) (gigabytes * (1L << 30) / BYTES_PER_ROW);
        AvroTrust.trustEventClasses();
        Path work = Files.createTempDirectory("pgsnapman-memory-bench-");
        System.out.printf("one table of %,d rows (about %.1f GB as pg_dump writes it); work dir %s%n", rows, gigabytes, work);
        try (PostgresServers servers = PostgresServers.start(1);
                KafkaBroker broker = KafkaBroker.start(3);
                SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            PostgresServer production = servers.get(0);
            fill(production, rows);
            Stack stack = new Stack(broker, registry, production, work, null);
            stack.credential("big", production.password());
            stack.publish(Topics.CONFIG_SERVERS.name(), "srv-big", Stack.server("srv-big", production, "big"));
            String dumpId = "job-big/20260601T020000Z";

            DumpCompleted dumped;
            Peaks dumpPeaks;
            long started = System.nanoTime();
            try (WorkerProcess worker = WorkerProcess.start("dump-worker",
                    WorkerProcess.settings(broker, registry, stack, "dump-worker", "big-dumper"), work);
                    Peaks peaks = Peaks.watch(worker.pid(), stack.repository().resolve(".staging"))) {
                started = System.nanoTime();
                stack.publish(Topics.SCHEDULE_TICKS.name(), "srv-big", tick(dumpId));
                dumped = TopicRecords.readUntil(broker, Topics.DUMP_COMPLETED.name(), stack.<DumpCompleted>deserializer(),
                                list -> list.stream().anyMatch(r -> r.value().getDumpId().equals(dumpId)), Duration.ofHours(2))
                        .stream().map(ConsumerRecord::value).filter(d -> d.getDumpId().equals(dumpId)).findFirst().orElseThrow();
                dumpPeaks = peaks;
            }
            double dumpSeconds = Benches.seconds(System.nanoTime() - started);

            RestoreCompleted restored;
            Peaks restorePeaks;
            RestoreRequested request = RestoreRequested.newBuilder().setHeader(SampleEvents.header())
                    .setRestoreRequestId("memory-bench-" + Instant.now().toEpochMilli()).setDumpId(dumpId)
                    .setSourceDumpJobId(null).setTargetServerId("srv-big").setTargetDatabaseName("big_copy")
                    .setOptions(RestoreOptions.newBuilder().setExistingDatabase(ExistingDatabasePolicy.DROP).build())
                    .setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null).setRequestedBy("memory-bench").build();
            Map<String, String> restorer = WorkerProcess.settings(broker, registry, stack, "restore-worker", "big-restorer");
            restorer.put("pgsnapman.restore-worker.scratch-dir", work.resolve("scratch").toString());
            try (WorkerProcess worker = WorkerProcess.start("restore-worker", restorer, work);
                    Peaks peaks = Peaks.watch(worker.pid(), work.resolve("scratch"))) {
                started = System.nanoTime();
                stack.publish(Topics.RESTORE_REQUESTED.name(), "srv-big", request);
                restored = TopicRecords.readUntil(broker, Topics.RESTORE_COMPLETED.name(), stack.<RestoreCompleted>deserializer(),
                                list -> list.stream().anyMatch(r -> r.key().equals(request.getRestoreRequestId())),
                                Duration.ofHours(2))
                        .stream().filter(r -> r.key().equals(request.getRestoreRequestId())).map(ConsumerRecord::value)
                        .findFirst().orElseThrow();
                restorePeaks = peaks;
            }
            double restoreSeconds = Benches.seconds(System.nanoTime() - started);

            System.out.println();
            System.out.printf("dump with dedup, dump-worker at -Xmx256m: %s in %.1f s, %,d B logical, %,d B stored;"
                            + " worker JVM peak RSS %,d KiB; staging peak %,d B%n", dumped.getOutcome(), dumpSeconds,
                    dumped.getSizeBytes(), dumped.getStoredBytes(), dumpPeaks.rssKib(), dumpPeaks.directoryBytes());
            System.out.printf("piped restore, restore-worker at -Xmx256m: %s in %.1f s, row counts match: %s;"
                            + " worker JVM peak RSS %,d KiB; scratch peak %,d B%n", restored.getOutcome(), restoreSeconds,
                    restored.getRowCountsMatch(), restorePeaks.rssKib(), restorePeaks.directoryBytes());
            if (restored.getFailure() != null || dumped.getFailure() != null) {
                System.out.println("failures: " + dumped.getFailure() + " / " + restored.getFailure());
            }
        }
    }

    private static void fill(PostgresServer server, long rows) throws Exception {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE big");
        }
        long started = System.nanoTime();
        try (Connection c = server.connect("big"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE wide (id bigint, payload text)");
            long step = 2_000_000;
            for (long from = 1; from <= rows; from += step) {
                long to = Math.min(rows, from + step - 1);
                st.execute("INSERT INTO wide SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text)"
                        + " FROM generate_series(" + from + ", " + to + ") g");
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('wide'))")) {
                rs.next();
                System.out.printf("filled in %.0f s: table size %s%n", Benches.seconds(System.nanoTime() - started),
                        rs.getString(1));
            }
        }
    }

    private static DumpRequested tick(String dumpId) {
        return DumpRequested.newBuilder(SampleEvents.dumpRequested()).setDumpId(dumpId)
                .setDumpJobId(dumpId.substring(0, dumpId.indexOf('/'))).setServerId("srv-big").setWorkerPool("default")
                .setSpec(DumpSpec.newBuilder().setDumpType(DumpType.FULL).setDatabaseName("big").setParallelJobs(2)
                        .setCompressionLevel(null).setSchemaName(null).setExcludeSchemas(List.of())
                        .setExcludeTableData(List.of()).build())
                .setTrigger(DumpTrigger.CRON).setNotBefore(null).setScheduledAt(Instant.parse("2026-06-01T02:00:00Z"))
                .setVerify(true).setDedup(true).setPin(false).build();
    }

    /** Samples a process's peak resident memory and a directory's peak size every 200 ms while open. */
    private static final class Peaks implements AutoCloseable {
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong rss = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();

        static Peaks watch(long pid, Path directory) {
            Peaks peaks = new Peaks();
            peaks.sampler.scheduleAtFixedRate(() -> {
                peaks.rss.accumulateAndGet(highWaterMark(pid), Math::max);
                peaks.bytes.accumulateAndGet(sizeOf(directory), Math::max);
            }, 0, 200, TimeUnit.MILLISECONDS);
            return peaks;
        }

        long rssKib() {
            return rss.get();
        }

        long directoryBytes() {
            return bytes.get();
        }

        private static long highWaterMark(long pid) {
            try {
                return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                        .filter(l -> l.startsWith("VmHWM:")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                        .findFirst().orElse(0L);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        private static long sizeOf(Path directory) {
            try (Stream<Path> files = Files.walk(directory)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }
}
