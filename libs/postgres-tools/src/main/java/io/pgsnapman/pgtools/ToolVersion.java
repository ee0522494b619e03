package io.pgsnapman.pgtools;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version as {@code major.minor} (10 and later numbering; 9.x as {@code 9.x}).
 *
 * @param major major version (e.g. 15; 9.6 is major 9, minor 6 here, compared as 906)
 * @param minor minor version
 */
public record ToolVersion(int major, int minor) implements Comparable<ToolVersion> {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    /** Parses the output of {@code pg_dump --version}, e.g. {@code pg_dump (PostgreSQL) 15.18 (Debian ...)}. */
    public static ToolVersion parseToolOutput(String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL tool version: '" + output.strip() + "'");
        }
        return new ToolVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    private static final Pattern SERVER_VERSION = Pattern.compile("^\\s*(?:PostgreSQL\\s+)?(\\d+)(?:\\.(\\d+))?");

    /**
     * Parses a server's {@code server_version} setting, e.g. {@code 15.8 (Debian 15.8-1)}, {@code 9.6.24} or
     * {@code 17beta1}; empty when it is none of these.
     */
    public static Optional<ToolVersion> parseServerVersion(String text) {
        Matcher m = text == null ? null : SERVER_VERSION.matcher(text);
        if (m == null || !m.find()) {
            return Optional.empty();
        }
        return Optional.of(new ToolVersion(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }

    /** Whether both are the same major release (9.6 and 9.5 are different majors; 15.2 and 15.8 the same). */
    public boolean sameMajor(ToolVersion other) {
        return majorKey() == other.majorKey();
    }

    /** From {@code server_version_num}, e.g. 150008 → 15.8, 90624 → 9.6. */
    public static ToolVersion fromServerVersionNum(int versionNum) {
        if (versionNum >= 100000) {
            return new ToolVersion(versionNum / 10000, versionNum % 10000);
        }
        return new ToolVersion(versionNum / 10000, (versionNum / 100) % 100);
    }

    /** Majors compared the way pg_dump compatibility works (9.6 and 9.5 are different majors). */
    int majorKey() {
        return major >= 10 ? major * 100 : major * 100 + minor;
    }

    /** Whether a pg_dump of this version can dump a server of that version (not older than the server). */
    public boolean canDump(ToolVersion server) {
        return majorKey() >= server.majorKey();
    }

    @Override
    public int compareTo(ToolVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
