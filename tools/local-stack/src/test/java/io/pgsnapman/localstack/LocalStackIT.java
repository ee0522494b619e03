package io.pgsnapman.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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

    @Test
    void theDemoCopiesTheSampleDatabaseAndStoppingLeavesNoProcessAndNoPort() throws Exception {
        // Given a data directory and free ports
        StackLayout layout = new StackLayout(REPO, dataDir(), freeBase());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        // When the stack comes up and the demo runs
        List<String[]> pids;
        boolean identical;
        try (LocalStack stack = LocalStack.up(layout, out)) {
            pids = Processes.recordedPids(layout);
            identical = new Demo(stack, out).run(2000);
        }

        // Then every part was its own process, the copy is identical, and the catalog was printed
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(pids).extracting(p -> p[0]).containsExactly("postgresql", "kafka", "schema-registry", "config-service",
                "scheduler-service", "dump-worker", "restore-worker", "catalog-service");
        assertThat(identical).as(text).isTrue();
        assertThat(text).contains("PgSnapMan is up", "SUCCEEDED", "order_lines", "the copy is identical to the source");
        // and after stopping no process of it runs and no port of it listens
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(Long.parseLong(p[1])).map(ProcessHandle::isAlive))
                .as(p[0]).isNotEqualTo(java.util.Optional.of(true)));
        assertThat(layout.ports()).allSatisfy((what, port) -> assertThat(Processes.listening(port)).as(what).isFalse());
        assertThat(Files.exists(layout.pids())).isFalse();
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
