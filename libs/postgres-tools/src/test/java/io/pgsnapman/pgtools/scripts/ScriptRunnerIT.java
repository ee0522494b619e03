package io.pgsnapman.pgtools.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.PgToolset;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.WithPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts run as real processes against a real server: their environment, password file, timeout and output. */
@WithPostgres
class ScriptRunnerIT {

    private final PostgresServer server;
    @TempDir
    Path scripts;
    @TempDir
    Path work;
    @TempDir
    Path out;

    ScriptRunnerIT(PostgresServers servers) {
        this.server = servers.get(0);
    }

    private PgConnection connection() {
        return new PgConnection(server.host(), server.port(), server.superuser(), "postgres", "disable", server.password());
    }

    private ScriptCalls calls(Duration timeout) {
        return new ScriptCalls(ScriptDirectory.of(scripts), new ScriptRunner(work, System.getenv("PATH"), "pgsnapman-test"),
                timeout);
    }

    private void script(String name, String body) throws IOException {
        Path file = scripts.resolve(name);
        Files.writeString(file, "#!/bin/bash\nset -eu\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    void aScriptConnectsThroughAPrivatePassfileAndItsEnvironmentHoldsNoPassword() throws Exception {
        // Given a script that records its environment and its password file, queries the server and reports progress
        script("probe.sh", """
                env > "$PGSNAPMAN_OUTPUT_DIR/env"
                stat -c %a "$PGPASSFILE" > "$PGSNAPMAN_OUTPUT_DIR/mode"
                stat -c %a "$(dirname "$PGPASSFILE")" > "$PGSNAPMAN_OUTPUT_DIR/dir-mode"
                echo "$PGPASSFILE" > "$PGSNAPMAN_OUTPUT_DIR/passfile"
                echo PROGRESS 1/2 asking the server
                psql -XtAc "SELECT current_user || ' ' || current_database()" > "$PGSNAPMAN_OUTPUT_DIR/psql"
                echo PROGRESS 2/2 done
                echo "an ordinary line"
                """);
        List<ScriptProgress> progress = new CopyOnWriteArrayList<>();
        PgToolset tools = PgToolset.locateDefault(new ToolRunner());

        // When it runs
        Failure failure = calls(Duration.ofSeconds(60)).run(ScriptRun.of("probe.sh", ScriptPhase.DUMP, connection())
                .toolDirectory(tools.binDir()).variable("PGSNAPMAN_OUTPUT_DIR", out.toString())
                .progress(progress::add).build()).orElse(null);

        // Then it succeeded, connected as the server's role with the password from its file
        assertThat(failure).isNull();
        assertThat(Files.readString(out.resolve("psql")).strip()).isEqualTo("postgres postgres");
        // and the file was private and is gone, with its directory
        assertThat(Files.readString(out.resolve("mode")).strip()).isEqualTo("600");
        assertThat(Files.readString(out.resolve("dir-mode")).strip()).isEqualTo("700");
        Path passfile = Path.of(Files.readString(out.resolve("passfile")).strip());
        assertThat(passfile).doesNotExist();
        assertThat(passfile.getParent()).doesNotExist();
        // and its environment is the contract and nothing of the worker's, without the password
        String env = Files.readString(out.resolve("env"));
        assertThat(env).doesNotContain(server.password()).doesNotContain("PGPASSWORD");
        Map<String, String> vars = env.lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> a));
        assertThat(vars).containsEntry("PGHOST", server.host()).containsEntry("PGPORT", Integer.toString(server.port()))
                .containsEntry("PGUSER", "postgres").containsEntry("PGDATABASE", "postgres")
                .containsEntry("PGSNAPMAN_PHASE", "dump").containsEntry("PGSNAPMAN_OUTPUT_DIR", out.toString());
        assertThat(vars.get("PATH")).startsWith(tools.binDir().toString() + ":");
        List<String> contract = List.of("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PWD", "SHLVL", "_", "OLDPWD");
        assertThat(vars.keySet()).allMatch(k -> k.startsWith("PG") || contract.contains(k), "only the contract's variables");
        List<String> workerOnly = System.getenv().keySet().stream()
                .filter(k -> !k.startsWith("PG") && !contract.contains(k)).toList();
        assertThat(workerOnly).as("the worker's own environment has variables the script must not get").isNotEmpty();
        assertThat(vars.keySet()).doesNotContainAnyElementsOf(workerOnly);
        // and its progress lines were reported, the rest left as output
        assertThat(progress).containsExactly(new ScriptProgress(1, 2L, "asking the server"), new ScriptProgress(2, 2L, "done"));
    }

    @Test
    void aScriptPastItsTimeoutIsKilledWithItsChildren() throws Exception {
        // Given a script whose child sleeps far longer than the timeout
        String seconds = "40." + System.nanoTime() % 1000;
        script("hang.sh", "sleep " + seconds + " &\necho $! > \"$PGSNAPMAN_OUTPUT_DIR/child\"\nwait\n");

        // When it runs with a short timeout
        long start = System.nanoTime();
        Failure failure = calls(Duration.ofMillis(800)).run(ScriptRun.of("hang.sh", ScriptPhase.PRE_DUMP, connection())
                .variable("PGSNAPMAN_OUTPUT_DIR", out.toString()).build()).orElseThrow();

        // Then it failed as timed out, long before the child would have ended, and the child is gone
        assertThat(failure.getCode()).isEqualTo("SCRIPT_TIMEOUT");
        assertThat(failure.getField()).isEqualTo("hooks.preDumpScript");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        long child = Long.parseLong(Files.readString(out.resolve("child")).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aRunWhoseWorkIsCancelledKillsTheScriptAndItsChildren() throws Exception {
        // Given a script whose child would sleep long, running on a worker thread
        script("slow.sh", "sleep 41.5 &\necho $! > \"$PGSNAPMAN_OUTPUT_DIR/child\"\nwait\n");
        Thread worker = new Thread(() -> calls(Duration.ofMinutes(5)).run(ScriptRun.of("slow.sh", ScriptPhase.RESTORE,
                connection()).variable("PGSNAPMAN_OUTPUT_DIR", out.toString()).build()), "cancelled-work");
        worker.start();
        Path childFile = out.resolve("child");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(childFile) && !Files.readString(childFile).isBlank());
        long child = Long.parseLong(Files.readString(childFile).strip());

        // When the work is cancelled (its thread interrupted, as a lost lease does)
        worker.interrupt();
        worker.join(20_000);

        // Then the run ended, and the script's child is gone
        assertThat(worker.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aFailingScriptsOutputIsCappedAndItsPasswordRedacted() throws Exception {
        // Given a script that prints its password and much else, then fails
        script("leaky.sh", """
                seq 1 20000
                head -c 2000000 /dev/zero | tr '\\0' x >&2
                echo >&2
                echo "password is $(cut -d: -f5 "$PGPASSFILE")" >&2
                echo "PGPASSWORD=$(cut -d: -f5 "$PGPASSFILE") failed" >&2
                exit 3
                """);

        // When it runs
        Failure failure = calls(Duration.ofSeconds(60)).run(ScriptRun.of("leaky.sh", ScriptPhase.RESTORE, connection())
                .build()).orElseThrow();

        // Then it failed with its exit code and its stderr, without the password
        assertThat(failure.getCode()).isEqualTo("SCRIPT_FAILED");
        assertThat(failure.getExitCode()).isEqualTo(3);
        assertThat(failure.getStderrExcerpt()).contains("password is [redacted]", "PGPASSWORD=[redacted] failed")
                .doesNotContain(server.password());
        assertThat(failure.getStderrExcerpt().length()).isLessThanOrEqualTo(ScriptRunner.OUTPUT_LIMIT + 10);
    }

    @Test
    void onlyExecutablesInsideTheDirectoryResolve() throws Exception {
        // Given a script, a file that is not executable, a link out of the directory and a file outside it
        script("ok.sh", "true\n");
        Files.writeString(scripts.resolve("plain.sql"), "SELECT 1");
        Files.createSymbolicLink(scripts.resolve("shell"), Path.of("/bin/sh"));
        Path outside = out.resolve("outside.sh");
        Files.writeString(outside, "#!/bin/sh\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
        ScriptDirectory directory = ScriptDirectory.of(scripts);

        // Then the script resolves, and nothing else does, each with its reason
        assertThat(directory.resolve("ok.sh")).isEqualTo(scripts.toRealPath().resolve("ok.sh"));
        assertThatThrownBy(() -> directory.resolve("plain.sql")).hasMessageContaining("not executable");
        assertThatThrownBy(() -> directory.resolve("shell")).hasMessageContaining("outside the scripts directory");
        assertThatThrownBy(() -> directory.resolve("../" + out.getFileName() + "/outside.sh")).hasMessageContaining("never a path");
        assertThatThrownBy(() -> directory.resolve(outside.toString())).hasMessageContaining("never a path");
        assertThatThrownBy(() -> directory.resolve("missing.sh")).hasMessageContaining("no script 'missing.sh'");
        assertThatThrownBy(() -> ScriptDirectory.of(null).resolve("ok.sh")).hasMessageContaining("no scripts directory");
        // and a job naming an unknown one is refused before anything runs, naming the field
        Map<String, String> named = new LinkedHashMap<>();
        named.put("hooks.preDumpScript", "ok.sh");
        named.put("scriptName", null);
        named.put("hooks.postDumpScript", "missing.sh");
        Failure unknown = directory.firstUnknown(named).orElseThrow();
        assertThat(unknown.getCode()).isEqualTo("UNKNOWN_SCRIPT");
        assertThat(unknown.getField()).isEqualTo("hooks.postDumpScript");
    }

    @Test
    void runDirectoriesOfWorkersThatDiedAreRemovedWhenARunnerStarts() throws Exception {
        // Given a run directory with a password file left by a process that is gone, and one of this process
        Path dead = Files.createDirectories(work.resolve("run-2147483600-1234"));
        Files.writeString(dead.resolve("pgpass"), "h:1:*:u:secret\n");
        Path alive = Files.createDirectories(work.resolve("run-" + ProcessHandle.current().pid() + "-5678"));

        // When a runner starts there
        new ScriptRunner(work, "/usr/bin:/bin", "pgsnapman-test");

        // Then the dead one's directory is gone and the living one's stays
        assertThat(dead).doesNotExist();
        assertThat(alive).exists();
    }
}
