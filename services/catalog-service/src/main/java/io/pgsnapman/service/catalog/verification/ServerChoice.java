package io.pgsnapman.service.catalog.verification;

import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.pgtools.ToolVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a planned test restore runs, and whether now. Servers of the dump's source major version come first; then
 * newer majors, nearest first (pg_restore loads into newer servers, not older ones). In the first group with a server
 * whose disk budget can ever hold the dump, it starts on the server with the most budget left among those with a free
 * slot and room now, or waits for one. When no group can ever hold it, or no server is new enough, it is skipped with
 * the reason. Pure: the running verifications are given.
 */
public final class ServerChoice {

    /** What to do with a planned verification. */
    public sealed interface Decision {}

    /** Start it on this server now. */
    public record Start(ServerConfig server) implements Decision {}

    /** Leave it planned: its servers are busy. */
    public record Wait(String why) implements Decision {}

    /** Never start it. */
    public record Skip(String reason) implements Decision {}

    /** A running verification: where, and how many bytes it is counted for. */
    public record Running(String serverId, long bytes) {}

    private ServerChoice() {}

    /**
     * @param servers      every configured server (those without {@code verification} are ignored)
     * @param sourceVersion the dump's server version text, e.g. {@code 15.8 (Debian ...)}; null when unknown (then
     *                     every verification server is a candidate, newest first)
     * @param needsBytes   bytes the scratch database may take
     * @param running      verifications running now
     */
    public static Decision decide(List<ServerConfig> servers, String sourceVersion, long needsBytes, List<Running> running) {
        List<ServerConfig> verifiers = servers.stream().filter(s -> s.getVerification() != null).toList();
        if (verifiers.isEmpty()) {
            return new Skip("no verification server is configured");
        }
        Optional<ToolVersion> source = ToolVersion.parseServerVersion(sourceVersion);
        TreeMap<Integer, List<ServerConfig>> byMajor = new TreeMap<>(source.isPresent() ? Comparator.naturalOrder()
                : Comparator.<Integer>reverseOrder());
        for (ServerConfig s : verifiers) {
            int major = s.getVerification().getMajorVersion();
            if (source.isEmpty() || major >= source.get().major()) {
                byMajor.computeIfAbsent(major, m -> new ArrayList<>()).add(s);
            }
        }
        if (byMajor.isEmpty()) {
            return new Skip("no verification server runs PostgreSQL " + source.get().major() + " or newer");
        }
        for (Map.Entry<Integer, List<ServerConfig>> group : byMajor.entrySet()) {
            List<ServerConfig> fitting = group.getValue().stream()
                    .filter(s -> s.getVerification().getDiskBudgetBytes() >= needsBytes).toList();
            if (fitting.isEmpty()) {
                continue;
            }
            return fitting.stream()
                    .filter(s -> count(running, s) < s.getVerification().getMaxConcurrent())
                    .filter(s -> left(running, s) >= needsBytes)
                    .max(Comparator.comparingLong(s -> left(running, s)))
                    .<Decision>map(Start::new)
                    .orElseGet(() -> new Wait("every verification server of PostgreSQL " + group.getKey()
                            + " that can hold it is at its cap or disk budget"));
        }
        long largest = byMajor.values().stream().flatMap(List::stream)
                .mapToLong(s -> s.getVerification().getDiskBudgetBytes()).max().orElse(0);
        return new Skip("needs " + needsBytes + " bytes for its scratch database; the largest disk budget of a"
                + " suitable verification server is " + largest + " bytes");
    }

    private static long count(List<Running> running, ServerConfig server) {
        return running.stream().filter(r -> r.serverId().equals(server.getServerId())).count();
    }

    private static long left(List<Running> running, ServerConfig server) {
        return server.getVerification().getDiskBudgetBytes() - running.stream()
                .filter(r -> r.serverId().equals(server.getServerId())).mapToLong(Running::bytes).sum();
    }
}
