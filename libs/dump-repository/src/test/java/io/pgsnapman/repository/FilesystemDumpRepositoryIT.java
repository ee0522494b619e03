package io.pgsnapman.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.schemas.DumpFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem repository on a real directory. */
class FilesystemDumpRepositoryIT {

    @TempDir
    Path root;

    private static Manifest manifest(String dumpId) {
        return Manifest.builder().dumpId(dumpId).dumpJobId("job-a").serverId("srv-1").databaseName("orders")
                .dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                .scheduledAt(Instant.parse("2026-03-29T01:30:00Z")).startedAt(Instant.parse("2026-03-29T01:30:01Z"))
                .finishedAt(Instant.parse("2026-03-29T01:31:00Z")).serverVersion("15.8").pgDumpVersion("15.18")
                .database(new Manifest.DatabaseInfo("app", "UTF8", "C", "C", "pg_default", -1,
                        List.of("=Tc/app", "app=CTc/app"), List.of("work_mem=64MB")))
                .tables(List.of(new Manifest.TableRows("public", "items", 500, true))).workerId("w1").build();
    }

    @Test
    void committedDumpIsListedWithChecksumsAndManifestWrittenLast() throws IOException {
        // Given a repository and a dump whose tool wrote two files
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        String dumpId = "job-a/20260329T013000Z";
        try (DumpWriter writer = repository.begin(dumpId)) {
            Files.writeString(writer.directory().resolve("toc.dat"), "table of contents");
            Files.writeString(writer.directory().resolve("3001.dat.gz"), "rows");
            // Then before the commit nothing is visible
            assertThat(repository.open(dumpId)).isEmpty();
            assertThat(repository.list()).isEmpty();

            // When it is committed
            writer.commit(manifest(dumpId));
        }

        // Then it is visible, with sizes and SHA-256 of both files, and it verifies
        DumpReader reader = repository.open(dumpId).orElseThrow();
        assertThat(reader.manifest().files()).extracting(Manifest.FileEntry::path).containsExactly("3001.dat.gz", "toc.dat");
        assertThat(reader.manifest().files().get(1).sha256()).isEqualTo(Checksums.sha256("table of contents".getBytes()));
        assertThat(reader.manifest().totalBytes()).isEqualTo(21);
        assertThat(reader.manifest().database().acl()).containsExactly("=Tc/app", "app=CTc/app");
        assertThat(reader.manifest().scheduledAt()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(reader.verify()).isEmpty();
        assertThat(repository.list()).extracting(Manifest::dumpId).containsExactly(dumpId);
        assertThat(Files.readString(reader.directory().resolve("manifest.json"))).contains("\"2026-03-29T01:30:00Z\"");
    }

    @Test
    void aWriterClosedWithoutCommitLeavesNothing() throws IOException {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        try (DumpWriter writer = repository.begin("job-a/1")) {
            Files.writeString(writer.directory().resolve("toc.dat"), "half");
        }

        assertThat(repository.open("job-a/1")).isEmpty();
        try (var staging = Files.list(root.resolve(".staging"))) {
            assertThat(staging).isEmpty();
        }
    }

    @Test
    void aCompleteDumpIsNeverStartedOrCommittedTwice() throws IOException {
        // Given a complete dump, and a second writer for the same id started before it completed
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        DumpWriter late = repository.begin("job-a/1");
        try (DumpWriter writer = repository.begin("job-a/1")) {
            Files.writeString(writer.directory().resolve("toc.dat"), "first");
            writer.commit(manifest("job-a/1"));
        }
        Files.writeString(late.directory().resolve("toc.dat"), "second");

        // When both a new begin and the late commit are tried
        // Then both are refused and the first dump is unchanged
        assertThatThrownBy(() -> repository.begin("job-a/1")).isInstanceOf(DumpAlreadyExistsException.class);
        assertThatThrownBy(() -> late.commit(manifest("job-a/1"))).isInstanceOf(DumpAlreadyExistsException.class);
        late.close();
        assertThat(Files.readString(repository.open("job-a/1").orElseThrow().directory().resolve("toc.dat"))).isEqualTo("first");
    }

    @Test
    void verifyNamesAFlippedByteAMissingFileAndAnExtraFile() throws IOException {
        // Given a complete dump
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        try (DumpWriter writer = repository.begin("job-a/2")) {
            Files.write(writer.directory().resolve("a.dat"), new byte[] {1, 2, 3});
            Files.write(writer.directory().resolve("b.dat"), new byte[] {4});
            writer.commit(manifest("job-a/2"));
        }
        DumpReader reader = repository.open("job-a/2").orElseThrow();

        // When one byte is flipped, a file removed and another added
        Files.write(reader.directory().resolve("a.dat"), new byte[] {1, 2, 4});
        Files.delete(reader.directory().resolve("b.dat"));
        Files.write(reader.directory().resolve("c.dat"), new byte[] {5});

        // Then verification names each
        assertThat(reader.verify()).extracting(DumpReader.ChecksumMismatch::path, DumpReader.ChecksumMismatch::actual)
                .containsExactlyInAnyOrder(
                        tuple("a.dat", "sha256 " + Checksums.sha256(new byte[] {1, 2, 4})),
                        tuple("b.dat", "missing"),
                        tuple("c.dat", "unexpected file"));
    }

    @Test
    void deleteRemovesTheDumpAndAbandonedWritesAreCleaned() throws IOException {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        try (DumpWriter writer = repository.begin("job-a/3")) {
            Files.writeString(writer.directory().resolve("toc.dat"), "x");
            writer.commit(manifest("job-a/3"));
        }
        DumpWriter crashed = repository.begin("job-a/4");
        Files.writeString(crashed.directory().resolve("toc.dat"), "partial");
        DumpWriter running = repository.begin("job-a/6");
        Files.writeString(running.directory().resolve("toc.dat"), "partial");

        assertThat(repository.delete("job-a/3")).isTrue();
        assertThat(repository.delete("job-a/3")).isFalse();
        // a write whose dump is no longer being written goes at once, whatever its age; a running one stays
        assertThat(repository.removeAbandonedWrites(Duration.ofHours(1), "job-a/6"::equals)).isEqualTo(1);
        assertThat(Files.exists(crashed.directory())).isFalse();
        assertThat(Files.exists(running.directory().resolve("toc.dat"))).isTrue();
        assertThat(repository.list()).isEmpty();
        assertThat(Files.exists(root.resolve("dumps/job-a"))).isFalse();
        running.close();
        try (var staging = Files.list(root.resolve(".staging"))) {
            assertThat(staging).isEmpty();
        }
    }

    @Test
    void leftoversWithoutAnOwnerGoByAge() throws IOException {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        Path old = Files.createDirectory(root.resolve(".staging/deleted-1"));
        Path young = Files.createDirectory(root.resolve(".staging/deleted-2"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(repository.removeAbandonedWrites(Duration.ofHours(1), id -> false)).isEqualTo(1);
        assertThat(Files.exists(old)).isFalse();
        assertThat(Files.exists(young)).isTrue();
    }

    @Test
    void aLeaseCountsAsHeldWhileItIsRenewed() throws IOException {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        Lease lease = repository.tryLease("dumps/job-a/7", "w", Duration.ofMinutes(2)).orElseThrow();

        assertThat(repository.leaseHeld("dumps/job-a/7", Duration.ofMinutes(2))).isTrue();
        Files.setLastModifiedTime(root.resolve(".leases/dumps~job-a~7.lease"), FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        assertThat(repository.leaseHeld("dumps/job-a/7", Duration.ofMinutes(2))).isFalse();
        lease.renew();
        assertThat(repository.leaseHeld("dumps/job-a/7", Duration.ofMinutes(2))).isTrue();
        lease.close();
        assertThat(repository.leaseHeld("dumps/job-a/7", Duration.ofMinutes(2))).isFalse();
    }

    @Test
    void aRecordIsStoredWholeAndReplaced() {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);

        assertThat(repository.loadRecord("restores/abc")).isEmpty();
        repository.storeRecord("restores/abc", new byte[] {1, 2});
        repository.storeRecord("restores/abc", new byte[] {3});

        assertThat(repository.loadRecord("restores/abc")).hasValueSatisfying(b -> assertThat(b).containsExactly(3));
        assertThatThrownBy(() -> repository.storeRecord("../escape", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaseIsHeldByOneOwnerUntilReleasedOrAbandoned() throws IOException {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);

        Lease first = repository.tryLease("job-a/5", "worker-1", Duration.ofMinutes(2)).orElseThrow();
        assertThat(repository.tryLease("job-a/5", "worker-2", Duration.ofMinutes(2))).isEmpty();

        // an abandoned lease (not renewed for longer than the stale age) is taken over
        Files.setLastModifiedTime(root.resolve(".leases/job-a~5.lease"), FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Lease second = repository.tryLease("job-a/5", "worker-2", Duration.ofMinutes(2)).orElseThrow();
        assertThat(repository.tryLease("job-a/5", "worker-3", Duration.ofMinutes(2))).isEmpty();

        // and the first holder learns it lost the lease, without touching the new holder's
        assertThatThrownBy(first::renew).hasMessageContaining("taken over");
        first.close();
        assertThat(repository.tryLease("job-a/5", "worker-3", Duration.ofMinutes(2))).isEmpty();

        second.close();
        assertThat(repository.tryLease("job-a/5", "worker-3", Duration.ofMinutes(2))).isPresent();
    }

    @Test
    void aDumpWrittenWithAVersion1ManifestIsListedAndOpensWithItsStateTyped() throws Exception {
        // Given a repository holding a dump written by the previous version (manifest format 1, state in labels)
        String dumpId = "job-84ef8933d78c/adhoc-4cac7291-2768-4015-85de-74a7f5793abf";
        Path dump = Files.createDirectories(root.resolve("dumps").resolve(dumpId));
        Path fixture = Path.of(getClass().getResource("/dump-v1").toURI());
        try (var files = Files.list(fixture)) {
            for (Path file : files.toList()) {
                Files.copy(file, dump.resolve(file.getFileName()));
            }
        }
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);

        // When it is listed (a catalog rebuild) and opened (a restore)
        List<Manifest> listed = repository.list();
        DumpReader reader = repository.open(dumpId).orElseThrow();

        // Then it reads as typed, with its state moved out of the labels, and its checksums still verify
        assertThat(listed).extracting(Manifest::dumpId).containsExactly(dumpId);
        Manifest m = reader.manifest();
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.dumpType()).isEqualTo(DumpType.FULL);
        assertThat(m.format()).isEqualTo(DumpFormat.DIRECTORY);
        assertThat(m.trigger()).isEqualTo(DumpTrigger.AD_HOC);
        assertThat(m.verified()).isTrue();
        assertThat(m.pinned()).isFalse();
        assertThat(m.workerId()).isEqualTo("local");
        assertThat(m.requestedBy()).isEqualTo("admin");
        assertThat(m.labels()).isEmpty();
        assertThat(m.tables()).hasSize(4).allMatch(Manifest.TableRows::exact);
        assertThat(reader.verify()).isEmpty();
    }

    @Test
    void aManifestOfALaterFormatIsRefusedNamingTheVersion() throws IOException {
        Path dump = Files.createDirectories(root.resolve("dumps/job-v9/20260301T020000Z"));
        Files.writeString(dump.resolve(Manifest.FILE_NAME), "{\"formatVersion\": 9, \"dumpId\": \"job-v9/20260301T020000Z\"}");
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);

        assertThatThrownBy(() -> repository.open("job-v9/20260301T020000Z"))
                .hasMessageContaining("format version 9");
    }
}
