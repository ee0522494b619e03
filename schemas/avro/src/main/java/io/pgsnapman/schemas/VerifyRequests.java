package io.pgsnapman.schemas;

import io.pgsnapman.events.restore.TableRowCheck;
import java.util.Locale;
import java.util.UUID;

/**
 * The shape of a test-restore request ({@code RestoreRequested} with purpose VERIFY), shared by catalog-service,
 * which makes them, and restore-worker, which refuses a VERIFY whose database is not a scratch name: the request id
 * and the scratch database's name.
 */
public final class VerifyRequests {

    /** Every scratch database's name starts with this; nothing else does. */
    public static final String SCRATCH_PREFIX = "pgsnapman_verify_";

    private VerifyRequests() {}

    /** A new request id for a test restore of that dump: {@code verify-<uuid>}. */
    public static String newRequestId() {
        return "verify-" + UUID.randomUUID();
    }

    /**
     * The scratch database of a request: the prefix and the last 32 letters and digits of its id, lower case (the
     * UUID of a {@link #newRequestId()}), at most 49 characters.
     */
    public static String scratchDatabase(String requestId) {
        String alnum = requestId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return SCRATCH_PREFIX + alnum.substring(Math.max(0, alnum.length() - 32));
    }

    /** Whether a table's check found it different: another row count, or another checksum where both were taken. */
    public static boolean differs(TableRowCheck check) {
        return check.getExpectedRows() != check.getActualRows()
                || (check.getActualChecksum() != null && !check.getActualChecksum().equals(check.getExpectedChecksum()));
    }

    /** Whether a database name is a scratch database's. */
    public static boolean isScratch(String database) {
        return database != null && database.startsWith(SCRATCH_PREFIX);
    }
}
