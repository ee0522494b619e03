package io.pgsnapman.service.catalog.verification;

import io.pgsnapman.events.config.VerificationPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Decides from a job's {@link VerificationPolicy} whether one of its successful dumps gets a test restore. Pure and
 * deterministic: a redelivered outcome decides the same.
 */
public final class VerificationPlanner {

    private VerificationPlanner() {}

    /**
     * @param policy      the job's policy
     * @param dumpId      the dump
     * @param ordinal     which successful dump of the job it is, 1 for the first
     * @param scheduledAt when it was due
     * @param lastPlanned when the job's latest test restore that was not skipped was planned, if any
     */
    public static boolean due(VerificationPolicy policy, String dumpId, long ordinal, Instant scheduledAt,
            Optional<Instant> lastPlanned) {
        return switch (policy.getMode()) {
            case CHECKSUMS -> false;
            case EVERY_DUMP -> true;
            // the first dump of a job is proven at once, then every nth after it
            case EVERY_NTH -> (ordinal - 1) % Math.max(1, policy.getEveryNth()) == 0;
            case PERCENTAGE -> bucket(dumpId) < policy.getPercent();
            case PERIOD -> lastPlanned.isEmpty()
                    || !lastPlanned.get().isAfter(scheduledAt.minus(Duration.ofHours(policy.getPeriodHours())));
        };
    }

    /** A stable 0..99 bucket of a dump id, spread evenly. */
    static int bucket(String dumpId) {
        CRC32 crc = new CRC32();
        crc.update(dumpId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }
}
