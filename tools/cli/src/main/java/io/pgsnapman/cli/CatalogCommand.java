package io.pgsnapman.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code catalog list / show / pin / unpin / verify / expire / restores}: every dump and restore PgSnapMan knows of. */
@Command(name = "catalog", description = "Dumps and restores in the catalog.",
        subcommands = {CatalogCommand.ListDumps.class, CatalogCommand.ShowDump.class, CatalogCommand.Pin.class,
                CatalogCommand.Unpin.class, CatalogCommand.Verify.class, CatalogCommand.Expire.class,
                CatalogCommand.Restores.class})
final class CatalogCommand extends GroupCommand {

    @ParentCommand
    PgSnapManCli root;

    @Command(name = "list", description = "Dumps, newest first.")
    static final class ListDumps implements Callable<Integer> {
        @ParentCommand
        CatalogCommand catalog;

        @Option(names = "--server") String serverId;
        @Option(names = "--database") String databaseName;
        @Option(names = "--job") String dumpJobId;
        @Option(names = "--outcome", description = "SUCCEEDED or FAILED") String outcome;
        @Option(names = "--page", defaultValue = "0") int page;
        @Option(names = "--size", defaultValue = "50") int size;

        @Override
        public Integer call() {
            String query = "?page=" + page + "&size=" + size + param("serverId", serverId) + param("databaseName", databaseName)
                    + param("dumpJobId", dumpJobId) + param("outcome", outcome);
            catalog.root.out().list(catalog.root.catalog().get("/api/v1/dumps" + query),
                    List.of("dumpId", "outcome", "serverId", "databaseName", "scheduledAt", "sizeBytes", "verification", "inUse"));
            return 0;
        }
    }

    /** A subcommand about one dump; prints the dump as the catalog answers. */
    abstract static class OnDump implements Callable<Integer> {
        @ParentCommand
        CatalogCommand catalog;

        @Parameters(paramLabel = "DUMP_ID") String dumpId;

        abstract JsonNode act(Api api);

        @Override
        public Integer call() {
            catalog.root.out().item(act(catalog.root.catalog()));
            return 0;
        }
    }

    @Command(name = "show", description = "One dump with every field, and its verifications by test restore.")
    static final class ShowDump implements Callable<Integer> {
        @ParentCommand
        CatalogCommand catalog;

        @Parameters(paramLabel = "DUMP_ID") String dumpId;

        @Override
        public Integer call() {
            Output out = catalog.root.out();
            JsonNode dump = catalog.root.catalog().get("/api/v1/dumps/" + dumpId);
            JsonNode verifications = catalog.root.catalog().get("/api/v1/verifications?dumpId="
                    + URLEncoder.encode(dumpId, StandardCharsets.UTF_8));
            if (out.json()) {
                out.item(((ObjectNode) dump.deepCopy()).set("verifications", verifications));
                return 0;
            }
            out.item(dump);
            if (verifications.isEmpty()) {
                out.line("verifications:         none (checksums only)");
            } else {
                out.line("verifications:");
                out.list(verifications, List.of("state", "finishedAt", "serverId", "serverVersion", "tablesChecked", "reason"));
            }
            return 0;
        }
    }

    @Command(name = "verify", description = "Test-restore a dump on a verification server now (operator); see catalog show.")
    static final class Verify extends OnDump {
        JsonNode act(Api api) {
            return api.post("/api/v1/verifications", Map.of("dumpId", dumpId));
        }
    }

    @Command(name = "pin", description = "Keep a dump whatever the retention (operator).")
    static final class Pin extends OnDump {
        JsonNode act(Api api) {
            return api.put("/api/v1/pins/" + dumpId, null);
        }
    }

    @Command(name = "unpin", description = "Let retention apply to a dump again (operator).")
    static final class Unpin extends OnDump {
        JsonNode act(Api api) {
            return api.delete("/api/v1/pins/" + dumpId);
        }
    }

    @Command(name = "expire", description = "Apply retention now (admin); with --dry-run, list what would expire and the"
            + " rule that keeps every other dump (viewer).")
    static final class Expire implements Callable<Integer> {
        @ParentCommand
        CatalogCommand catalog;

        @Option(names = "--dry-run", description = "Change nothing; show the decisions.") boolean dryRun;
        @Option(names = "--job", description = "Only this dump job (default: every job with kept dumps).") String dumpJobId;

        @Override
        public Integer call() {
            Output out = catalog.root.out();
            String query = dumpJobId == null ? "" : "?dumpJobId=" + URLEncoder.encode(dumpJobId, StandardCharsets.UTF_8);
            if (!dryRun) {
                JsonNode pass = catalog.root.catalog().post("/api/v1/retention/run" + query, null);
                if (out.json()) {
                    out.item(pass);
                } else {
                    out.line(pass.get("expired").asLong() + " dumps expired");
                }
                return 0;
            }
            JsonNode previews = catalog.root.catalog().get("/api/v1/retention/preview" + query);
            if (out.json()) {
                out.item(previews);
                return 0;
            }
            for (JsonNode job : previews) {
                long expiring = job.get("dumps").valueStream().filter(d -> d.get("expires").asBoolean()).count();
                out.line(String.format("job %s (%s): %d of %d dumps would expire", job.get("dumpJobId").asString(),
                        job.get("status").asString(), expiring, job.get("dumps").size()));
                out.list(job.get("dumps"), List.of("dumpId", "scheduledAt", "outcome", "expires", "rule"));
            }
            return 0;
        }
    }

    @Command(name = "restores", description = "Restores, newest first.")
    static final class Restores implements Callable<Integer> {
        @ParentCommand
        CatalogCommand catalog;

        @Option(names = "--target") String targetServerId;
        @Option(names = "--dump") String dumpId;
        @Option(names = "--outcome", description = "SUCCEEDED, FAILED or REJECTED") String outcome;

        @Override
        public Integer call() {
            String query = "?size=50" + param("targetServerId", targetServerId) + param("dumpId", dumpId) + param("outcome", outcome);
            catalog.root.out().list(catalog.root.catalog().get("/api/v1/restores" + query),
                    List.of("restoreRequestId", "outcome", "targetServerId", "targetDatabaseName", "dumpId", "finishedAt"));
            return 0;
        }
    }

    static String param(String name, String value) {
        return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
