package io.pgsnapman.pgbinaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL refuses to run as root. When this JVM runs as root (CI does), a throw-away cluster's programs
 * run as the {@code postgres} user through {@code runuser}, and the files they use are handed to that user;
 * otherwise both are left as they are.
 */
public final class PostgresServerUser {

    private PostgresServerUser() {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command, prefixed with {@code runuser -u postgres --} when this JVM runs as root. */
    public static List<String> wrap(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes {@code postgres} the owner of the file or directory (not recursive) when running as root. */
    public static void handOver(Path path) {
        if (isRoot()) {
            try {
                UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(path, users.lookupPrincipalByName("postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot hand " + path + " to the postgres user", e);
            }
        }
    }
}
