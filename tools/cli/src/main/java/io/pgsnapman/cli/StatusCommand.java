package io.pgsnapman.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code status}: the fleet in one screen — every dump job's health (failures first), its latest dump, the age of its
 * newest verified dump against its schedule, and what it holds. Exits 1 when a job is FAILED or LATE, so a monitoring
 * check can run it.
 */
@Command(name = "status", description = "The fleet in one screen: every dump job's health, failures first."
        + " Exit code 1 when a job is FAILED or LATE.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    PgSnapManCli root;

    @Option(names = "--server", description = "Only jobs of this server (id).") String serverId;
    @Option(names = "--job", description = "Only this dump job.") String dumpJobId;

    @Override
    public Integer call() {
        JsonNode fleet = root.catalog().get("/api/v1/fleet" + query());
        Output out = root.out();
        long failing = fleet.get("counts").get("FAILED").asLong() + fleet.get("counts").get("LATE").asLong();
        if (out.json()) {
            out.item(fleet);
            return failing > 0 ? CliException.FAILED : 0;
        }
        List<String> counts = new ArrayList<>();
        fleet.get("counts").properties().forEach(e -> counts.add(e.getValue().asLong() + " " + e.getKey()));
        out.line("PgSnapMan fleet at " + fleet.get("generatedAt").asString() + ": " + fleet.get("jobs").size() + " dump jobs ("
                + String.join(", ", counts) + "), " + bytes(fleet.get("storedBytes").asLong()) + " in the repository");
        out.line("");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("HEALTH", "JOB", "SERVER", "LAST DUMP", "OUTCOME", "VERIFIED AGE", "EVERY", "KEPT", "STORED", "WHY"));
        for (JsonNode job : fleet.get("jobs")) {
            JsonNode last = job.get("lastDump");
            rows.add(List.of(Output.text(job, "health"),
                    job.hasNonNull("name") ? Output.text(job, "name") : Output.text(job, "dumpJobId"),
                    Output.text(job, "serverName"),
                    last == null || last.isNull() ? "-" : Output.text(last, "scheduledAt"),
                    last == null || last.isNull() ? "-" : Output.text(last, "outcome") + " " + Output.text(last, "verification"),
                    duration(job.get("newestVerifiedAgeSeconds")), duration(job.get("intervalSeconds")),
                    Output.text(job, "kept.total"), bytes(job.get("storedBytes").asLong()), Output.text(job, "reason")));
        }
        out.table(rows);
        return failing > 0 ? CliException.FAILED : 0;
    }

    private String query() {
        String params = CatalogCommand.param("serverId", serverId) + CatalogCommand.param("dumpJobId", dumpJobId);
        return params.isEmpty() ? "" : "?" + params.substring(1);
    }

    /** Seconds as "3d4h", "5h10m", "42s"; "-" when absent. */
    static String duration(JsonNode seconds) {
        if (seconds == null || seconds.isNull()) {
            return "-";
        }
        long s = seconds.asLong();
        if (s >= 86_400) {
            return s / 86_400 + "d" + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m" : s + "s";
    }

    /** Bytes in binary units with one decimal. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
