package io.pgsnapman.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The PostgreSQL harness itself: fixture test classes are run through the JUnit engine, and what they
 * saw is checked against what is left afterwards.
 */
class PostgresServersIT {

    /** What a fixture saw of one server while it ran. */
    record Seen(int port, long pid, Path root, String answeredPort) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    @Test
    void twoServersOnDistinctPortsAnswerOverJdbcAndAreGoneAfterwards() {
        // Given a test class asking for two PostgreSQL servers
        SEEN.clear();

        // When it runs
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoServers.class))
                .execute().testEvents();

        // Then both servers answered over JDBC on their own ports
        tests.assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0).port()).isNotEqualTo(SEEN.get(1).port());
        SEEN.forEach(seen -> assertThat(seen.answeredPort()).isEqualTo(Integer.toString(seen.port())));
        // and nothing of them is left
        SEEN.forEach(PostgresServersIT::assertGone);
    }

    @Test
    void serversAreRemovedAlsoWhenTheTestFails() {
        // Given a test class with a server whose test fails
        SEEN.clear();

        // When it runs
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingWithServer.class))
                .execute().testEvents();

        // Then the failure is reported and the server is gone all the same
        tests.assertStatistics(stats -> stats.failed(1));
        assertThat(SEEN).hasSize(1);
        SEEN.forEach(PostgresServersIT::assertGone);
    }

    private static void assertGone(Seen seen) {
        assertThat(FreePorts.isListening(seen.port())).as("port %d still listening", seen.port()).isFalse();
        assertThat(isRunning(seen.pid())).as("postmaster %d still running", seen.pid()).isFalse();
        assertThat(Files.exists(seen.root())).as("%s still exists", seen.root()).isFalse();
    }

    /**
     * Whether the process exists and has not exited. An exited postmaster may stay a zombie for a moment
     * until whoever adopted it (pg_ctl daemonises it) reaps it; a zombie runs nothing and holds no port.
     */
    static boolean isRunning(long pid) {
        if (!Files.isDirectory(Path.of("/proc"))) { // no /proc: ask the JDK (which may count a zombie as alive)
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static Seen observe(PostgresServer server) throws Exception {
        try (Connection connection = server.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('port')")) {
            rs.next();
            return new Seen(server.port(), server.postmasterPid().orElseThrow(), server.rootDir(), rs.getString(1));
        }
    }

    @WithPostgres(servers = 2)
    static class TwoServers {
        @Test
        void connect(PostgresServers servers) throws Exception {
            for (PostgresServer server : servers.all()) {
                SEEN.add(observe(server));
            }
        }
    }

    @WithPostgres
    static class FailingWithServer {
        @Test
        void fails(PostgresServers servers) throws Exception {
            SEEN.add(observe(servers.get(0)));
            throw new AssertionError("deliberate failure");
        }
    }
}
