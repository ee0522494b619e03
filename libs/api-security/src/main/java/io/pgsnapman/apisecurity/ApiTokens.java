package io.pgsnapman.apisecurity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API tokens, from configuration and from the tokens file ({@code name:role:token} per line, {@code #}
 * comments). Only SHA-256 digests are kept in memory; a presented token is compared in constant time.
 */
public final class ApiTokens {

    /** Who a token belongs to. */
    public record Holder(String name, String role) {}

    private record Entry(byte[] digest, Holder holder) {}

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiTokens from(ApiAuthProperties auth) {
        List<Entry> entries = new ArrayList<>();
        for (ApiAuthProperties.Token token : auth.tokens()) {
            entries.add(new Entry(digest(token.token()), new Holder(token.name(), token.role())));
        }
        if (auth.tokensFile() != null) {
            entries.addAll(readFile(auth.tokensFile()));
        }
        return new ApiTokens(entries);
    }

    private static List<Entry> readFile(Path file) {
        List<Entry> entries = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API tokens file " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 3);
            if (parts.length != 3 || !parts[1].matches("viewer|operator|admin") || parts[2].length() < 16) {
                throw new IllegalArgumentException("API tokens file " + file + " line " + (i + 1)
                        + ": expected name:role:token with role viewer, operator or admin and a token of 16+ characters");
            }
            entries.add(new Entry(digest(parts[2]), new Holder(parts[0], parts[1])));
        }
        return entries;
    }

    /** Whose token this is, if it is one. */
    public Optional<Holder> authenticate(String presented) {
        byte[] digest = digest(presented);
        Holder match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                match = entry.holder();
            }
        }
        return Optional.ofNullable(match);
    }

    public int size() {
        return entries.size();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
