package io.pgsnapman.endtoend;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the benchmarks in this package share: running a client tool, medians, seconds, CPU time, dumps asked for now. */
final class Benches {

    private Benches() {}

    /** Runs a tool to completion (password of {@code server} in its environment, if given), failing loudly. */
    static void run(PostgresServer server, List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (server != null) {
            builder.environment().put("PGPASSWORD", server.password());
        }
        if (environment != null) {
            builder.environment().putAll(environment);
        }
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with " + process.exitValue());
        }
    }

    /** Creates the database {@code bench} on the server and fills it with {@code pgbench -i} at the scale, printing the time. */
    static void pgbenchInit(PostgresServer server, int scale) throws Exception {
        try (java.sql.Connection c = server.connect("postgres"); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE bench");
        }
        long t0 = System.nanoTime();
        run(server, List.of(server.binDir().resolve("pgbench").toString(), "-i", "-q", "-s", Integer.toString(scale), "-h",
                server.host(), "-p", Integer.toString(server.port()), "-U", "postgres", "bench"), null);
        System.out.printf("pgbench -i -s %d: %.1f s%n", scale, seconds(System.nanoTime() - t0));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * CPU time the whole machine has spent busy so far, in core-seconds: user, nice, system, irq and softirq of
     * the {@code cpu} line of {@code /proc/stat} (Linux, clock ticks of 1/100 s; steal, time the hypervisor gave
     * to others, is left out). The difference over a stretch of work is what it cost every process on the
     * machine, PostgreSQL servers and services included.
     */
    static double busyCoreSeconds() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long ticks = 0;
        for (int column : new int[] {1, 2, 3, 6, 7}) {
            ticks += Long.parseLong(fields[column]);
        }
        return ticks / 100.0;
    }

    /** A value and how long it took. */
    record Timed<T>(T value, double seconds) {}

    /**
     * Outcomes of dumps asked for with "dump now": one consumer of {@code dump.completed}, positioned at its end
     * before the first dump, so each outcome is seen as soon as it is published.
     */
    static final class Outcomes {
        private final KafkaConsumer<String, DumpCompleted> consumer;

        Outcomes(KafkaBroker broker, Stack stack) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()), new StringDeserializer(),
                    stack.<DumpCompleted>deserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DUMP_COMPLETED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** Asks for a dump of the job now and waits (up to 30 minutes) for its SUCCEEDED outcome. */
        Timed<DumpCompleted> dumpNow(ApiClient api, String jobId) {
            long start = System.nanoTime();
            String dumpId = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).body().get("dumpId").asString();
            DumpCompleted done = null;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
            while (done == null && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, DumpCompleted> record : consumer.poll(Duration.ofMillis(20))) {
                    if (record.value().getDumpId().equals(dumpId)) {
                        done = record.value();
                    }
                }
            }
            double elapsed = seconds(System.nanoTime() - start);
            if (done == null) {
                throw new IllegalStateException("no outcome for " + dumpId);
            }
            if (done.getOutcome() != Outcome.SUCCEEDED) {
                throw new IllegalStateException("dump " + dumpId + " failed: " + done.getFailure());
            }
            return new Timed<>(done, elapsed);
        }
    }
}
