package io.pgsnapman.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code repository stats / gc / verify}: the dump repository as a whole, through catalog-service (which needs
 * the repository mounted). Garbage collection and the check run while the command waits.
 */
@Command(name = "repository", description = "The dump repository: totals, garbage collection, check.",
        subcommands = {RepositoryCommand.Stats.class, RepositoryCommand.Gc.class, RepositoryCommand.Verify.class})
final class RepositoryCommand extends GroupCommand {

    /** Long enough for a large repository; the work goes on server-side if the command gives up. */
    private static final Duration LONG_WORK = Duration.ofHours(6);

    @ParentCommand
    PgSnapManCli root;

    @Command(name = "stats", description = "Logical and stored bytes of the successful dumps, the dedup ratio and the latest"
            + " repository check.")
    static final class Stats implements Callable<Integer> {
        @ParentCommand
        RepositoryCommand repository;

        @Override
        public Integer call() {
            repository.root.out().item(repository.root.catalog().get("/api/v1/repository"));
            return 0;
        }
    }

    @Command(name = "gc", description = "Remove the chunks no dump uses (admin); says how many and how many bytes.")
    static final class Gc implements Callable<Integer> {
        @ParentCommand
        RepositoryCommand repository;

        @Option(names = "--dry-run", description = "Only report what would be freed.") boolean dryRun;
        @Option(names = "--grace-minutes", defaultValue = "60",
                description = "Keep chunks used more recently than this (dumps being written may need them).")
        int graceMinutes;

        @Override
        public Integer call() {
            JsonNode report = repository.root.catalog().post("/api/v1/repository/gc?dryRun=" + dryRun + "&graceMinutes="
                    + graceMinutes, null, LONG_WORK);
            repository.root.out().item(report);
            return 0;
        }
    }

    @Command(name = "verify", description = "Check every dump's chunks and files; lists each dump a missing or damaged"
            + " chunk affects. Exit 1 when there is one.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        RepositoryCommand repository;

        @Option(names = "--read-data-subset", paramLabel = "PERCENT", defaultValue = "0",
                description = "Read back and re-hash this share of the chunks and files (0: check they are there).")
        int percent;

        @Override
        public Integer call() {
            JsonNode check = repository.root.catalog().post("/api/v1/repository/verify?readDataPercent=" + percent, null,
                    LONG_WORK);
            Output out = repository.root.out();
            if (out.json()) {
                out.item(check);
            } else {
                out.line(String.format("%d dumps, %d chunks checked, %d read back (%d %%), %d problems",
                        check.get("dumps").asLong(), check.get("chunks").asLong(), check.get("chunksRead").asLong(),
                        check.get("readDataPercent").asLong(), check.get("problems").size()));
                if (!check.get("problems").isEmpty()) {
                    out.list(check.get("problems"), List.of("dumpId", "file", "chunk", "what"));
                }
            }
            return check.get("problems").isEmpty() ? 0 : CliException.FAILED;
        }
    }
}
