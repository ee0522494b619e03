package io.pgsnapman.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a helper program of the harness (initdb, pg_ctl) with an argument array, never a shell string,
 * and fails with its output when it fails (as root, wrap PostgreSQL's programs with
 * {@link io.pgsnapman.pgbinaries.PostgresServerUser#wrap}).
 */
final class ExternalProcess {

    private ExternalProcess() {}

    /** Runs to completion; returns its combined output, or throws with that output on failure. */
    static String run(List<String> command, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("pgsnapman-harness-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("Timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "Exit code " + process.exitValue() + ": " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file of a few bytes is not worth failing a test for
                }
            }
        }
    }
}
