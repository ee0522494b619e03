package io.pgsnapman.repository;

import java.util.regex.Pattern;

/**
 * Dump ids as repository paths. An id is one or more {@code /}-separated segments of letters, digits,
 * {@code .}, {@code _}, {@code -} (e.g. {@code job-orders/20260329T013000Z}); anything else — {@code ..},
 * empty segments, absolute paths — is refused, so an id can never point outside the repository.
 */
public final class DumpIds {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private DumpIds() {}

    /** The id, when valid; else an {@link IllegalArgumentException} naming the problem. */
    public static String requireValid(String dumpId) {
        if (dumpId == null || dumpId.isEmpty()) {
            throw new IllegalArgumentException("dump id is empty");
        }
        for (String segment : dumpId.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals("..")) {
                throw new IllegalArgumentException("dump id '" + dumpId + "' has an invalid segment '" + segment
                        + "' (letters, digits, '.', '_', '-'; no empty or '..' segments)");
            }
        }
        return dumpId;
    }
}
