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
import java.util.Set;
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

    @Test
    void aDumpKeptAsChunksListsThemInItsManifestRebuildsItsFilesAndNamesADamagedChunk() throws IOException {
        // Given a dump whose two files are kept as chunks, and a second dump with the same toc
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        byte[] rows = "1\tapple\n2\tpear\n".repeat(20_000).getBytes();
        String dumpId = "job-a/20260329T013000Z";
        try (DumpWriter writer = repository.begin(dumpId)) {
            Files.write(writer.directory().resolve("3001.dat"), rows);
            Files.writeString(writer.directory().resolve("toc.dat"), "table of contents");
            writer.storeAsChunks("3001.dat");
            writer.storeAsChunks("toc.dat");
            // the files left the staging directory as they became chunks
            assertThat(writer.directory().resolve("3001.dat")).doesNotExist();
            writer.commit(manifest(dumpId));
        }
        String secondId = "job-a/20260330T013000Z";
        try (DumpWriter writer = repository.begin(secondId)) {
            Files.writeString(writer.directory().resolve("toc.dat"), "table of contents");
            writer.storeAsChunks("toc.dat");
            writer.commit(manifest(secondId));
        }

        // Then the manifest (format 3) lists each file with its size, SHA-256 and chunk index, read back as written
        DumpReader reader = repository.open(dumpId).orElseThrow();
        Manifest manifest = reader.manifest();
        assertThat(manifest.formatVersion()).isEqualTo(3);
        assertThat(manifest.chunked()).isTrue();
        assertThat(manifest.files()).extracting(Manifest.FileEntry::path, Manifest.FileEntry::size)
                .containsExactly(tuple("3001.dat", (long) rows.length), tuple("toc.dat", 17L));
        Manifest.FileEntry data = manifest.files().get(0);
        assertThat(data.sha256()).isEqualTo(Checksums.sha256(rows));
        assertThat(data.chunkCount()).isGreaterThanOrEqualTo(2);
        assertThat(manifest.storedBytes()).isPositive().isLessThan(rows.length / 10);
        // and the second dump stored nothing new: its toc was there already
        assertThat(repository.open(secondId).orElseThrow().manifest().storedBytes()).isZero();
        assertThat(reader.verify()).isEmpty();

        // And its files are rebuilt as they were
        Path rebuilt = Files.createDirectory(root.resolve("rebuilt"));
        assertThat(reader.materialize(rebuilt)).isEmpty();
        assertThat(Files.readAllBytes(rebuilt.resolve("3001.dat"))).isEqualTo(rows);
        assertThat(Files.readString(rebuilt.resolve("toc.dat"))).isEqualTo("table of contents");

        // When a byte of one of the data file's chunks is flipped
        List<String> chunkIds = new java.util.ArrayList<>();
        io.pgsnapman.repository.chunks.ChunkIndex.read(reader.directory().resolve(data.chunks()), ref -> chunkIds.add(ref.id()));
        String last = chunkIds.get(chunkIds.size() - 1);
        Path chunkFile = root.resolve("chunks").resolve(last.substring(0, 2)).resolve(last.substring(2, 4)).resolve(last);
        byte[] stored = Files.readAllBytes(chunkFile);
        stored[stored.length - 2] ^= 0x10;
        Files.write(chunkFile, stored);

        // Then verifying and rebuilding name the file and the chunk; the other dump is still whole
        String chunkId = chunkFile.getFileName().toString();
        assertThat(reader.verify()).singleElement().satisfies(m -> {
            assertThat(m.path()).isEqualTo("3001.dat");
            assertThat(m.expected()).isEqualTo("chunk " + chunkId);
            assertThat(m.actual()).contains("damaged");
        });
        assertThat(reader.materialize(Files.createDirectory(root.resolve("again")))).singleElement()
                .satisfies(m -> assertThat(m.toString()).contains("3001.dat").contains(chunkId));
        assertThat(repository.open(secondId).orElseThrow().verify()).isEmpty();
    }

    @Test
    void garbageCollectionFreesExactlyTheChunksNoDumpUsesAndNeverOnesADumpBeingWrittenNeeds() throws IOException {
        // Given two chunked dumps sharing their toc, each with data of its own
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        byte[] keptRows = "1\tkept\n".repeat(30_000).getBytes();
        byte[] deletedRows = "2\tgone\n".repeat(30_000).getBytes();
        chunkedDump(repository, "job-a/20260329T013000Z", keptRows);
        chunkedDump(repository, "job-a/20260330T013000Z", deletedRows);
        Set<String> keptChunks = chunksOf(repository, "job-a/20260329T013000Z");
        Set<String> deletedChunks = chunksOf(repository, "job-a/20260330T013000Z");
        deletedChunks.removeAll(keptChunks);
        assertThat(deletedChunks).isNotEmpty();
        // and a third dump being written that uses the deleted dump's data again, its chunk index not yet listed
        // in any manifest
        DumpWriter writing = repository.begin("job-b/20260330T013000Z");
        Files.write(writing.directory().resolve("3001.dat"), deletedRows);
        writing.storeAsChunks("3001.dat");
        // when the second dump is deleted and every chunk looks old
        repository.delete("job-a/20260330T013000Z");
        ageAllChunks(Duration.ofHours(2));

        // When garbage is collected, first as a dry run, with an hour's grace
        GarbageReport dry = repository.collectGarbage(Duration.ofHours(1), true);
        GarbageReport real = repository.collectGarbage(Duration.ofHours(1), false);

        // Then nothing was removed: the dump being written names the deleted dump's chunks
        assertThat(dry.removable()).isZero();
        assertThat(real.removed()).isZero();
        deletedChunks.forEach(id -> assertThat(chunkFile(id)).exists());

        // When that write is discarded and garbage collected again
        writing.close();
        GarbageReport dryAgain = repository.collectGarbage(Duration.ofHours(1), true);
        assertThat(deletedChunks).allSatisfy(id -> assertThat(chunkFile(id)).as("a dry run removes nothing").exists());
        GarbageReport collected = repository.collectGarbage(Duration.ofHours(1), false);

        // Then exactly the chunks only the deleted dump used are gone, and the kept dump still verifies
        assertThat(dryAgain.removable()).isEqualTo(deletedChunks.size());
        assertThat(collected.removed()).isEqualTo(deletedChunks.size());
        assertThat(collected.removableBytes()).isPositive();
        deletedChunks.forEach(id -> assertThat(chunkFile(id)).doesNotExist());
        keptChunks.forEach(id -> assertThat(chunkFile(id)).exists());
        assertThat(repository.open("job-a/20260329T013000Z").orElseThrow().verify()).isEmpty();
    }

    @Test
    void aChunkUsedWithinTheGracePeriodIsKeptEvenIfNoIndexNamesItYet() throws IOException {
        // Given a chunked dump deleted, whose chunks were used a minute ago (a writer storing them, its index not written)
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        chunkedDump(repository, "job-a/20260329T013000Z", "3\tfresh\n".repeat(30_000).getBytes());
        Set<String> chunks = chunksOf(repository, "job-a/20260329T013000Z");
        repository.delete("job-a/20260329T013000Z");
        ageAllChunks(Duration.ofMinutes(1));

        // When garbage is collected with an hour's grace
        GarbageReport report = repository.collectGarbage(Duration.ofHours(1), false);

        // Then they are kept, counted as recent
        assertThat(report.removed()).isZero();
        assertThat(report.recent()).isEqualTo(chunks.size());
        chunks.forEach(id -> assertThat(chunkFile(id)).exists());
    }

    private static void chunkedDump(FilesystemDumpRepository repository, String dumpId, byte[] rows) throws IOException {
        try (DumpWriter writer = repository.begin(dumpId)) {
            Files.write(writer.directory().resolve("3001.dat"), rows);
            Files.writeString(writer.directory().resolve("toc.dat"), "table of contents");
            writer.storeAsChunks("3001.dat");
            writer.storeAsChunks("toc.dat");
            writer.commit(manifest(dumpId));
        }
    }

    private static Set<String> chunksOf(FilesystemDumpRepository repository, String dumpId) throws IOException {
        DumpReader reader = repository.open(dumpId).orElseThrow();
        Set<String> ids = new java.util.HashSet<>();
        for (Manifest.FileEntry file : reader.manifest().files()) {
            io.pgsnapman.repository.chunks.ChunkIndex.read(reader.directory().resolve(file.chunks()), ref -> ids.add(ref.id()));
        }
        return ids;
    }

    private Path chunkFile(String id) {
        return root.resolve("chunks").resolve(id.substring(0, 2)).resolve(id.substring(2, 4)).resolve(id);
    }

    private void ageAllChunks(Duration age) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (var files = Files.walk(root.resolve("chunks"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().length() == 64).toList()) {
                Files.setLastModifiedTime(f, then);
            }
        }
    }

    @Test
    void aRepositoryCheckListsEveryDumpAMissingOrDamagedChunkAffects() throws IOException {
        // Given three chunked dumps sharing their toc, each with data of its own, and a plain dump
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        chunkedDump(repository, "job-a/20260329T013000Z", "1\tone\n".repeat(30_000).getBytes());
        chunkedDump(repository, "job-a/20260330T013000Z", "2\ttwo\n".repeat(30_000).getBytes());
        chunkedDump(repository, "job-b/20260330T013000Z", "3\tthree\n".repeat(30_000).getBytes());
        try (DumpWriter writer = repository.begin("job-c/20260330T013000Z")) {
            Files.writeString(writer.directory().resolve("toc.dat"), "plain");
            writer.commit(manifest("job-c/20260330T013000Z"));
        }
        assertThat(repository.check(100).problems()).isEmpty();

        // When the shared toc chunk is damaged and a chunk only the third dump has is deleted
        Set<String> shared = chunksOf(repository, "job-a/20260329T013000Z");
        shared.retainAll(chunksOf(repository, "job-a/20260330T013000Z"));
        String toc = shared.iterator().next();
        byte[] stored = Files.readAllBytes(chunkFile(toc));
        stored[stored.length - 1] ^= 0x01;
        Files.write(chunkFile(toc), stored);
        Set<String> own = chunksOf(repository, "job-b/20260330T013000Z");
        own.removeAll(chunksOf(repository, "job-a/20260329T013000Z"));
        String gone = own.iterator().next();
        Files.delete(chunkFile(gone));

        // Then a check reading every chunk names every dump of the damaged chunk and the dump of the missing one
        RepositoryCheck full = repository.check(100);
        assertThat(full.dumps()).isEqualTo(4);
        assertThat(full.chunksRead()).isEqualTo(full.chunks());
        assertThat(full.problems()).extracting(RepositoryCheck.Problem::dumpId, RepositoryCheck.Problem::file,
                        RepositoryCheck.Problem::chunk)
                .containsExactlyInAnyOrder(tuple("job-a/20260329T013000Z", "toc.dat", toc),
                        tuple("job-a/20260330T013000Z", "toc.dat", toc),
                        tuple("job-b/20260330T013000Z", "toc.dat", toc),
                        tuple("job-b/20260330T013000Z", "3001.dat", gone));
        // and a check reading none of them still finds the missing chunk, reading nothing
        RepositoryCheck presence = repository.check(0);
        assertThat(presence.chunksRead()).isZero();
        assertThat(presence.problems()).extracting(RepositoryCheck.Problem::chunk).containsExactly(gone);
    }
}
