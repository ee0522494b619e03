package io.pgsnapman.repository;

import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.schemas.DumpFormat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished dump holds and where it came from. Written last, as {@code manifest.json}; a dump
 * without one is incomplete. Enough to rebuild the catalog and to restore (database ACL and settings are
 * not in a single-database dump, so they are kept here).
 *
 * <p>Version 2 (written now) types what version 1 kept as strings and labels: the dump type, format and
 * trigger are enums, and whether the dump was verified and pinned, the worker and who asked are fields of
 * their own. A version-1 manifest reads as version 2 (its labels {@code verified}, {@code pinned},
 * {@code worker} and {@code requestedBy} move into those fields), so repositories written by earlier versions
 * stay restorable and rebuildable. Version 3 adds deduplicated storage: a file may be kept as chunks in the
 * repository's chunk store, listed by a chunk index beside the manifest ({@link FileEntry#chunks()}); files of
 * earlier versions are stored as they are. A manifest of a later version is refused. Build one with
 * {@link #builder()}.
 *
 * @param formatVersion  layout version of the file it was read from (or {@link #FORMAT_VERSION} when new)
 * @param dumpId         the dump's id
 * @param dumpJobId      its job
 * @param serverId       server dumped from
 * @param databaseName   database (absent for cluster-wide dumps)
 * @param schemaName     the one schema dumped, if any
 * @param dumpType       what was dumped
 * @param format         how it is stored
 * @param trigger        CRON or AD_HOC
 * @param scheduledAt    when it was due
 * @param startedAt      when the tool started
 * @param finishedAt     when the files were complete
 * @param serverVersion  PostgreSQL server version
 * @param pgDumpVersion  version of the tool used
 * @param files          every file with size and SHA-256, paths relative to the dump
 * @param database       database-level facts, for restore (absent for cluster-wide dumps)
 * @param tables         rows per table: exact counts in the dump's snapshot, or planner estimates
 * @param verified       the worker checked the dump reads back and its checksums match
 * @param pinned         kept whatever the retention
 * @param workerId       the worker that wrote it
 * @param requestedBy    who asked for an ad-hoc dump, if anyone
 * @param labels         other free key/values
 */
public record Manifest(
        int formatVersion,
        String dumpId,
        String dumpJobId,
        String serverId,
        String databaseName,
        String schemaName,
        DumpType dumpType,
        DumpFormat format,
        DumpTrigger trigger,
        Instant scheduledAt,
        Instant startedAt,
        Instant finishedAt,
        String serverVersion,
        String pgDumpVersion,
        List<FileEntry> files,
        DatabaseInfo database,
        List<TableRows> tables,
        boolean verified,
        boolean pinned,
        String workerId,
        String requestedBy,
        Map<String, String> labels) {

    /** The layout written now. */
    public static final int FORMAT_VERSION = 3;
    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest format version " + formatVersion + " of " + dumpId
                    + " is not one this version reads (1 to " + FORMAT_VERSION + "); a newer PgSnapMan wrote it");
        }
        files = files == null ? List.of() : List.copyOf(files);
        tables = tables == null ? List.of() : List.copyOf(tables);
        Map<String, String> rest = labels == null ? new HashMap<>() : new HashMap<>(labels);
        if (formatVersion == 1) {
            verified = Boolean.parseBoolean(rest.remove("verified"));
            pinned = Boolean.parseBoolean(rest.remove("pinned"));
            workerId = rest.remove("worker");
            requestedBy = rest.remove("requestedBy");
        }
        labels = Map.copyOf(rest);
    }

    /** A builder for a new manifest (of the current format version). */
    public static Builder builder() {
        return new Builder();
    }

    /** Sum of the files' sizes: the dump's logical size. */
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** What the dump added to the repository: its plain files, and the new compressed chunks of its chunked ones. */
    public long storedBytes() {
        return files.stream().mapToLong(f -> f.chunked() ? f.storedBytes() : f.size()).sum();
    }

    /** Whether the dump's files are kept as chunks (it was written with dedup). */
    public boolean chunked() {
        return files.stream().anyMatch(FileEntry::chunked);
    }

    /**
     * One file of a dump.
     *
     * @param path        relative to the dump
     * @param size        bytes
     * @param sha256      SHA-256 of the whole file, hex
     * @param chunks      for a file kept as chunks, its chunk index (relative to the dump); null for a plain file
     * @param chunkCount  how many chunks it has (0 for a plain file)
     * @param storedBytes compressed bytes of the chunks this file added to the store (0 for a plain file)
     */
    public record FileEntry(String path, long size, String sha256, String chunks, long chunkCount, long storedBytes) {

        /** A file stored as it is. */
        public FileEntry(String path, long size, String sha256) {
            this(path, size, sha256, null, 0, 0);
        }

        public boolean chunked() {
            return chunks != null;
        }
    }

    /**
     * The database's own properties, re-applied on restore, and its size on disk when the dump started
     * ({@code pg_database_size}; null in manifests written before it was recorded): what a test restore needs.
     */
    public record DatabaseInfo(String owner, String encoding, String collate, String ctype, String tablespace,
            int connectionLimit, List<String> acl, List<String> settings, Long sizeBytes) {
        public DatabaseInfo {
            acl = acl == null ? List.of() : List.copyOf(acl);
            settings = settings == null ? List.of() : List.copyOf(settings);
        }

        /** Without a recorded size. */
        public DatabaseInfo(String owner, String encoding, String collate, String ctype, String tablespace,
                int connectionLimit, List<String> acl, List<String> settings) {
            this(owner, encoding, collate, ctype, tablespace, connectionLimit, acl, settings, null);
        }
    }

    /**
     * A table's rows at dump time: with {@code exact}, counted in the very snapshot pg_dump used (what a
     * restore must reproduce) and, as {@code checksum}, a hash of its contents a test restore must reproduce
     * too (see {@code TableContents} in postgres-tools); otherwise the planner's estimate (informative only).
     * Manifests written before exact counts existed read as estimates, before checksums without one.
     */
    public record TableRows(String schema, String table, long rows, boolean exact, String checksum) {

        /** Without a content checksum (an estimate, or a dump taken before checksums were recorded). */
        public TableRows(String schema, String table, long rows, boolean exact) {
            this(schema, table, rows, exact, null);
        }
    }

    /** The same manifest with the file list filled in (used when committing). */
    Manifest withFiles(List<FileEntry> newFiles) {
        return toBuilder().files(newFiles).build();
    }

    /** A builder holding this manifest's values (written as the current format version). */
    public Builder toBuilder() {
        return new Builder().dumpId(dumpId).dumpJobId(dumpJobId).serverId(serverId).databaseName(databaseName)
                .schemaName(schemaName).dumpType(dumpType).format(format).trigger(trigger).scheduledAt(scheduledAt)
                .startedAt(startedAt).finishedAt(finishedAt).serverVersion(serverVersion).pgDumpVersion(pgDumpVersion)
                .files(files).database(database).tables(tables).verified(verified).pinned(pinned).workerId(workerId)
                .requestedBy(requestedBy).labels(labels);
    }

    /** Builds a manifest of the current format version; unset fields are empty. */
    public static final class Builder {
        private String dumpId;
        private String dumpJobId;
        private String serverId;
        private String databaseName;
        private String schemaName;
        private DumpType dumpType;
        private DumpFormat format;
        private DumpTrigger trigger;
        private Instant scheduledAt;
        private Instant startedAt;
        private Instant finishedAt;
        private String serverVersion;
        private String pgDumpVersion;
        private List<FileEntry> files = List.of();
        private DatabaseInfo database;
        private List<TableRows> tables = List.of();
        private boolean verified;
        private boolean pinned;
        private String workerId;
        private String requestedBy;
        private Map<String, String> labels = Map.of();

        private Builder() {}

        public Builder dumpId(String value) { dumpId = value; return this; }
        public Builder dumpJobId(String value) { dumpJobId = value; return this; }
        public Builder serverId(String value) { serverId = value; return this; }
        public Builder databaseName(String value) { databaseName = value; return this; }
        public Builder schemaName(String value) { schemaName = value; return this; }
        public Builder dumpType(DumpType value) { dumpType = value; return this; }
        public Builder format(DumpFormat value) { format = value; return this; }
        public Builder trigger(DumpTrigger value) { trigger = value; return this; }
        public Builder scheduledAt(Instant value) { scheduledAt = value; return this; }
        public Builder startedAt(Instant value) { startedAt = value; return this; }
        public Builder finishedAt(Instant value) { finishedAt = value; return this; }
        public Builder serverVersion(String value) { serverVersion = value; return this; }
        public Builder pgDumpVersion(String value) { pgDumpVersion = value; return this; }
        public Builder files(List<FileEntry> value) { files = value; return this; }
        public Builder database(DatabaseInfo value) { database = value; return this; }
        public Builder tables(List<TableRows> value) { tables = value; return this; }
        public Builder verified(boolean value) { verified = value; return this; }
        public Builder pinned(boolean value) { pinned = value; return this; }
        public Builder workerId(String value) { workerId = value; return this; }
        public Builder requestedBy(String value) { requestedBy = value; return this; }
        public Builder labels(Map<String, String> value) { labels = value; return this; }

        public Manifest build() {
            return new Manifest(FORMAT_VERSION, dumpId, dumpJobId, serverId, databaseName, schemaName, dumpType,
                    format, trigger, scheduledAt, startedAt, finishedAt, serverVersion, pgDumpVersion, files, database,
                    tables, verified, pinned, workerId, requestedBy, labels);
        }
    }
}
