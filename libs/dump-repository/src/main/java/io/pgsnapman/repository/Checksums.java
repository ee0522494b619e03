package io.pgsnapman.repository;

import io.pgsnapman.repository.chunks.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** SHA-256 of files, hex-encoded. */
public final class Checksums {

    private Checksums() {}

    public static String sha256(Path file) {
        try {
            return sha256(file, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** SHA-256 of the file, copying it to {@code copy} as it is read. */
    public static String sha256(Path file, OutputStream copy) throws IOException {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                copy.write(buffer, 0, n);
            }
        }
        return Sha256.hex(digest);
    }

    public static String sha256(byte[] bytes) {
        return Sha256.of(bytes, bytes.length);
    }
}
