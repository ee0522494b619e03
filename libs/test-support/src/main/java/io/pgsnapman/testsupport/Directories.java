package io.pgsnapman.testsupport;

import io.pgsnapman.pgbinaries.PostgresServerUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Temporary directories of the harness: created private, handed to the service user, deleted whole. */
final class Directories {

    private Directories() {}

    /** A new private directory; as root it is owned by {@code postgres}, which runs the servers. */
    static Path createForServiceUser(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            handToServiceUser(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory", e);
        }
    }

    static void handToServiceUser(Path path) throws IOException {
        PostgresServerUser.handOver(path);
    }

    /** Deletes the tree; a missing tree is fine. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    deleteIfPresent(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    deleteIfPresent(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }

    private static void deleteIfPresent(Path path) throws IOException {
        try {
            Files.deleteIfExists(path);
        } catch (NoSuchFileException ignored) {
            // removed concurrently (e.g. a socket file of a server that just stopped)
        }
    }
}
