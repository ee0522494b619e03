package io.pgsnapman.repository.chunks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the repository's one hash: of chunks (their ids) and of whole files. */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** A fresh digest. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** The digest's value, hex. */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    /** SHA-256 of {@code data[0, length)}, hex. */
    public static String of(byte[] data, int length) {
        MessageDigest digest = digest();
        digest.update(data, 0, length);
        return hex(digest);
    }
}
