package io.pgsnapman.pgtools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves a server's {@code credentialRef} to a password on this machine, in order: the environment
 * variable {@code PGSNAPMAN_CREDENTIAL_<REF>} (upper case, non-alphanumerics as {@code _}), then the file
 * {@code <credentials dir>/<ref>} (a mounted Kubernetes Secret; one trailing newline is dropped). Nothing
 * found means no password: libpq then uses the user's {@code .pgpass}. The password never leaves this
 * process except in a child tool's environment.
 */
public final class CredentialResolver {

    /** References are plain names: no path separators, no "..". */
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Map<String, String> environment;
    private final Path credentialsDir;

    /** @param credentialsDir directory of credential files, or {@code null} for none */
    public CredentialResolver(Map<String, String> environment, Path credentialsDir) {
        this.environment = Map.copyOf(environment);
        this.credentialsDir = credentialsDir;
    }

    /** With the process environment. */
    public static CredentialResolver fromSystem(Path credentialsDir) {
        return new CredentialResolver(System.getenv(), credentialsDir);
    }

    /** The environment variable that holds the credential of this reference. */
    public static String environmentVariable(String credentialRef) {
        return "PGSNAPMAN_CREDENTIAL_" + credentialRef.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The password for the reference, if this machine has one; empty for a {@code null} reference. */
    public Optional<String> resolve(String credentialRef) {
        if (credentialRef == null) {
            return Optional.empty();
        }
        if (!REF.matcher(credentialRef).matches()) {
            throw new IllegalArgumentException("credentialRef '" + credentialRef
                    + "' is not a plain name (letters, digits, '.', '_', '-'; at most 128)");
        }
        String fromEnv = environment.get(environmentVariable(credentialRef));
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        if (credentialsDir != null) {
            Path file = credentialsDir.resolve(credentialRef);
            if (Files.isRegularFile(file)) {
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read credential file for reference '" + credentialRef + "'", e);
                }
            }
        }
        return Optional.empty();
    }
}
