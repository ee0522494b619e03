package io.pgsnapman.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The local stack as a newcomer runs it: every part a real process (PostgreSQL, a Kafka broker, the registry,
 * the five services' jars), the demo end to end, and nothing left running or listening afterwards.
 */
class LocalStackIT {

    private static final Path REPO = Path.of("").toAbsolutePath().resolve("../..").normalize();

    private static Path dataDir() throws Exception {
        Path dir = Files.createTempDirectory("pgsnapman-local-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // postgres must reach it
        return dir.resolve("stack");
    }

    /**
     * A base port whose derived ports are all free now, below Linux's ephemeral range (32768 and up), where an
     * outgoing connection could take one of them between this check and the bind.
     */
    private static int freeBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 110) * 100;
            StackLayout probe = new StackLayout(REPO, Path.of("x"), base);
            if (probe.ports().values().stream().allMatch(Processes::free)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    /**
     * The stack as a newcomer runs it, then restarted as a stack that keeps its data is: every part a real process
     * (PostgreSQL, a Kafka broker, the registry, the five services' jars); the demo end to end; stopping leaves no
     * process and no port. Then {@code up} again on the same data directory: every record on every topic still
     * decodes to what it was (schema ids keep their meaning: the registry kept its state) and the scheduler fires
     * a cron tick. The restart secures Kafka (as an operator turning security on would): TLS everywhere, each service
     * its own user (SCRAM; the restore-worker by certificate) with the ACLs of its rendered KafkaUser — a user is
     * denied what its service does not declare, strangers are refused. Then the Kafka broker is killed and started again while dumps and their fan-out restores
     * are in flight: no outcome is lost, no restore runs twice, every service carries on without being restarted. One
     * scenario, so the whole stack is started only twice in the suite.
     */
    @Test
    void theDemoRunsStopsCleanlyAndASecuredRestartOrABrokerCrashLosesOrMisreadsNothing() throws Exception {
        // Given a data directory and free ports
        long t0 = System.nanoTime();
        StackLayout layout = new StackLayout(REPO, dataDir(), freeBase());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // what the stack prints is checked below and also shown in the test's output (each part's start time)
        PrintStream out = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                printed.write(b);
                System.out.write(b);
            }
        }, true, StandardCharsets.UTF_8);

        // When the stack comes up and the demo runs
        List<String[]> pids;
        boolean identical;
        Map<String, String> before;
        try (LocalStack stack = LocalStack.up(layout, out)) {
            pids = Processes.recordedPids(layout);
            identical = new Demo(stack, out).run(2000);
            mark(t0, "demo");
            before = TopicSnapshot.read(layout);
            mark(t0, "topics read");
        }

        // Then every part was its own process, the copy is identical, and the catalog was printed
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(pids).extracting(p -> p[0]).containsExactly("postgresql", "kafka", "schema-registry", "config-service",
                "scheduler-service", "dump-worker", "restore-worker", "catalog-service");
        assertThat(identical).as(text).isTrue();
        assertThat(text).contains("PgSnapMan is up", "SUCCEEDED", "order_lines", "the copy is identical to the source");
        // and after stopping no process of it runs and no port of it listens
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(Long.parseLong(p[1])).map(ProcessHandle::isAlive))
                .as(p[0]).isNotEqualTo(Optional.of(true)));
        assertThat(layout.ports()).allSatisfy((what, port) -> assertThat(Processes.listening(port)).as(what).isFalse());
        assertThat(Files.exists(layout.pids())).isFalse();
        assertThat(before).hasSizeGreaterThan(10);
        assertThat(before.values()).noneMatch(v -> v.startsWith(TopicSnapshot.UNDECODABLE));
        String dumpJob = keyOf(before, "pgsnapman.config.dump-jobs-", "shop-nightly");
        String restoreJob = keyOf(before, "pgsnapman.config.restore-jobs-", "shop-to-copy");

        // When it is started again on the same data directory, with Kafka secured
        try (LocalStack stack = LocalStack.up(layout.withSecureKafka(true), out)) {
            mark(t0, "secured stack up");
            // A dump job due every minute will get its cron tick (made first, checked at the end: its minute passes
            // while the rest runs)
            String everyMinute = TopicSnapshot.createEveryMinuteJob(stack);
            // Then every record decodes to exactly what it decoded to before (read with the operator's mutual TLS)
            Map<String, String> after = TopicSnapshot.read(layout);
            mark(t0, "topics read again");
            assertThat(after).containsAllEntriesOf(before);
            assertThat(after.values()).noneMatch(v -> v.startsWith(TopicSnapshot.UNDECODABLE));
            // and the broker lets each service do what it declares and nothing else, and no stranger in
            KafkaSecurityChecks.aServiceIsDeniedATopicItDoesNotDeclare(stack, StackLayout.Service.DUMP_WORKER);
            KafkaSecurityChecks.aServiceIsDeniedATopicItDoesNotDeclare(stack, StackLayout.Service.RESTORE_WORKER);
            KafkaSecurityChecks.strangersAreRefused(stack);
            mark(t0, "security checked");

            // And when the broker is killed and started again while three dumps and their fan-outs are in flight
            Map<String, String> services = servicePids(layout);
            List<String> dumps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                dumps.add(TopicSnapshot.post(stack, "/api/v1/dump-jobs/" + dumpJob + "/dump-now", null, "dumpId"));
            }
            stack.restartKafka();
            mark(t0, "broker restarted");
            long back = System.nanoTime();

            // Then every dump and its restore complete, by the same service processes
            for (String dumpId : dumps) {
                assertThat(awaitAnswers(layout, "pgsnapman.restore.completed", restoreJob + "/" + dumpId))
                        .allMatch(a -> a.contains("\"outcome\": \"SUCCEEDED\""));
            }
            double inFlight = (System.nanoTime() - back) / 1e9;
            String fresh = TopicSnapshot.post(stack, "/api/v1/dump-jobs/" + dumpJob + "/dump-now", null, "dumpId");
            assertThat(awaitAnswers(layout, "pgsnapman.restore.completed", restoreJob + "/" + fresh))
                    .allMatch(a -> a.contains("\"outcome\": \"SUCCEEDED\""));
            double recovered = (System.nanoTime() - back) / 1e9;
            assertThat(servicePids(layout)).isEqualTo(services);
            System.out.printf("broker restart: in-flight work done %.1f s after the broker was back; a new dump and its "
                    + "fan-out done %.1f s after%n", inFlight, recovered);

            // And the every-minute job got its cron tick after the restarts
            String completed = TopicSnapshot.awaitCronDump(layout, everyMinute, Duration.ofSeconds(150));
            mark(t0, "cron dump");
            assertThat(completed).contains("\"trigger\": \"CRON\"").contains("\"outcome\": \"SUCCEEDED\"");
            // and, all that time later, no restore has run twice: an answer given again is the same answer
            for (String dumpId : dumps) {
                assertThat(awaitAnswers(layout, "pgsnapman.restore.completed", restoreJob + "/" + dumpId).stream()
                        .map(LocalStackIT::startedAt).distinct()).as("runs of the restore of " + dumpId).hasSize(1);
            }
        }
    }

    /** Where the scenario's time goes, in the test's output (the suite's longest test). */
    private static void mark(long t0, String what) {
        System.out.printf("LocalStackIT: %s at %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    /** The key of the record on {@code topicPrefix*} whose value contains {@code "name": "<name>"}. */
    private static String keyOf(Map<String, String> records, String topicPrefix, String name) {
        return records.entrySet().stream()
                .filter(r -> r.getKey().startsWith(topicPrefix) && r.getValue().contains("\"name\": \"" + name + "\""))
                .map(r -> r.getValue().substring(0, r.getValue().indexOf(" = "))).findFirst().orElseThrow();
    }

    /** Every answer with that key on the topic, once at least one is there (waiting up to three minutes). */
    private static List<String> awaitAnswers(StackLayout layout, String topic, String key) {
        return TopicSnapshot.awaitValues(layout, topic, key, Duration.ofMinutes(3));
    }

    private static String startedAt(String answer) {
        int at = answer.indexOf("\"startedAt\": ");
        return answer.substring(at, answer.indexOf(',', at));
    }

    private static Map<String, String> servicePids(StackLayout layout) {
        Map<String, String> pids = new TreeMap<>();
        Processes.recordedPids(layout).stream().filter(p -> p[0].endsWith("-service") || p[0].endsWith("-worker"))
                .forEach(p -> pids.put(p[0], p[1]));
        return pids;
    }

    @Test
    void aPortInUseIsAClearErrorAndNothingIsStarted() throws Exception {
        // Given something listening on the stack's registry port
        StackLayout layout = new StackLayout(REPO, dataDir(), freeBase());
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", layout.registryPort()));

            // When the stack is started, Then it refuses, naming the port and what needs it, and starts nothing
            assertThatThrownBy(() -> LocalStack.up(layout, new PrintStream(new ByteArrayOutputStream())))
                    .hasMessageContaining(layout.registryPort() + " (schema registry)")
                    .hasMessageContaining("--base-port");
            assertThat(Processes.recordedPids(layout)).isEmpty();
        }
    }
}
