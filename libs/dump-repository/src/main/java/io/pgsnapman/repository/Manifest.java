package io.pgsnapman.repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a finished dump holds and where it came from. Written last, as {@code manifest.json}; a dump
 * without one is incomplete. Enough to rebuild the catalog and to restore (database ACL and settings are
 * not in a single-database dump, so they are kept here).
 *
 * @param formatVersion  version of this manifest layout
 * @param dumpId         the dump's id
 * @param dumpJobId      its job
 * @param serverId       server dumped from
 * @param databaseName   database (absent for cluster-wide dumps)
 * @param schemaName     the one schema dumped, if any
 * @param dumpType       FULL, SCHEMA_ONLY, CLUSTER_SCHEMA_ONLY or GLOBALS
 * @param format         {@code directory} (pg_dump -Fd) or {@code sql} (pg_dumpall)
 * @param trigger        CRON or AD_HOC
 * @param scheduledAt    when it was due
 * @param startedAt      when the tool started
 * @param finishedAt     when the files were complete
 * @param serverVersion  PostgreSQL server version
 * @param pgDumpVersion  version of the tool used
 * @param files          every file with size and SHA-256, paths relative to the dump
 * @param database       database-level facts, for restore (absent for cluster-wide dumps)
 * @param tables         rows per table: exact counts in the dump's snapshot, or planner estimates
 * @param labels         free key/values (e.g. worker, pinned)
 */
public record Manifest(
        int formatVersion,
        String dumpId,
        String dumpJobId,
        String serverId,
        String databaseName,
        String schemaName,
        String dumpType,
        String format,
        String trigger,
        Instant scheduledAt,
        Instant startedAt,
        Instant finishedAt,
        String serverVersion,
        String pgDumpVersion,
        List<FileEntry> files,
        DatabaseInfo database,
        List<TableRows> tables,
        Map<String, String> labels) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        files = files == null ? List.of() : List.copyOf(files);
        tables = tables == null ? List.of() : List.copyOf(tables);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Sum of the files' sizes. */
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** One file of a dump. */
    public record FileEntry(String path, long size, String sha256) {}

    /** The database's own properties, re-applied on restore. */
    public record DatabaseInfo(String owner, String encoding, String collate, String ctype, String tablespace,
            int connectionLimit, List<String> acl, List<String> settings) {
        public DatabaseInfo {
            acl = acl == null ? List.of() : List.copyOf(acl);
            settings = settings == null ? List.of() : List.copyOf(settings);
        }
    }

    /**
     * A table's rows at dump time: with {@code exact}, counted in the very snapshot pg_dump used (what a
     * restore must reproduce); otherwise the planner's estimate (informative only). Manifests written before
     * exact counts existed read as estimates.
     */
    public record TableRows(String schema, String table, long rows, boolean exact) {}

    /** The same manifest with the file list filled in (used when committing). */
    Manifest withFiles(List<FileEntry> newFiles) {
        return new Manifest(formatVersion, dumpId, dumpJobId, serverId, databaseName, schemaName, dumpType, format,
                trigger, scheduledAt, startedAt, finishedAt, serverVersion, pgDumpVersion, newFiles, database, tables,
                labels);
    }
}
