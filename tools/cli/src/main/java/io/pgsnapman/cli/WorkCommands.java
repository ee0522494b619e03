package io.pgsnapman.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code dump now} and {@code restore}: start work now and, with {@code --wait}, follow it to its outcome. */
final class WorkCommands {

    private WorkCommands() {}

    @Command(name = "dump", description = "Dumps.", subcommands = Dump.Now.class)
    static final class Dump extends GroupCommand {
        @ParentCommand
        PgSnapManCli root;

        @Command(name = "now", description = "Dump a job now, whatever its schedule (operator).")
        static final class Now implements Callable<Integer> {
            @ParentCommand
            Dump dump;

            @Parameters(paramLabel = "DUMP_JOB_ID")
            String jobId;

            @Option(names = "--wait", description = "Follow the dump until it is in the catalog; exit 1 if it FAILED.")
            boolean wait;

            @Option(names = "--timeout", description = "Longest wait (default: ${DEFAULT-VALUE}).", defaultValue = "PT2H")
            Duration timeout;

            @Override
            public Integer call() {
                String dumpId = dump.root.config().post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).get("dumpId").asString();
                return report(dump.root, "dump", dumpId, "/api/v1/dumps/", wait, timeout);
            }
        }
    }

    @Command(name = "restore", description = "Restore now what a restore job restores (operator): its source job's"
            + " latest verified dump, or --dump-id.")
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        PgSnapManCli root;

        @Parameters(paramLabel = "RESTORE_JOB_ID")
        String restoreJobId;

        @Option(names = "--dump-id", description = "This dump instead of the latest verified one.")
        String dumpId;

        @Option(names = "--wait", description = "Follow the restore to its outcome; exit 1 unless it SUCCEEDED.")
        boolean wait;

        @Option(names = "--timeout", description = "Longest wait (default: ${DEFAULT-VALUE}).", defaultValue = "PT2H")
        Duration timeout;

        @Override
        public Integer call() {
            String path = "/api/v1/restore-jobs/" + restoreJobId + "/restore-now"
                    + (dumpId == null ? "" : "?dumpId=" + URLEncoder.encode(dumpId, StandardCharsets.UTF_8));
            String requestId = root.config().post(path, null).get("restoreRequestId").asString();
            return report(root, "restore", requestId, "/api/v1/restores/", wait, timeout);
        }
    }

    /** Prints the id of work just started or, with {@code wait}, follows it and prints its catalog entry. */
    static int report(PgSnapManCli root, String what, String id, String catalogPath, boolean wait, Duration timeout) {
        if (!wait) {
            root.out().line(id);
            return 0;
        }
        JsonNode entry = follow(root, what + " " + id, catalogPath + id, timeout);
        root.out().item(entry);
        return "SUCCEEDED".equals(Output.text(entry, "outcome")) ? 0 : CliException.FAILED;
    }

    /** Polls the catalog until the entry exists, showing the time so far on standard error. */
    static JsonNode follow(PgSnapManCli root, String what, String catalogPath, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean tty = System.console() != null;
        int tick = 0;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode entry = root.catalog().get(catalogPath);
                if (tty) {
                    root.err().print("\r\033[K");
                }
                root.err().printf("%s: %s after %.1f s%n", what, Output.text(entry, "outcome"), (System.nanoTime() - start) / 1e9);
                root.err().flush();
                return entry;
            } catch (CliException e) {
                if (e.exitCode != CliException.NOT_FOUND) {
                    throw e;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (tty) {
                root.err().printf("\r%s running %c %.0f s", what, "|/-\\".charAt(tick++ % 4), seconds);
                root.err().flush();
            } else if (tick++ % 20 == 0) {
                root.err().printf("%s running, %.0f s%n", what, seconds);
                root.err().flush();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.FAILED, "interrupted");
            }
        }
        throw new CliException(CliException.FAILED, what + " not finished after " + timeout + " (it may still be running)");
    }
}
