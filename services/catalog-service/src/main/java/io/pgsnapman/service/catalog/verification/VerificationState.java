package io.pgsnapman.service.catalog.verification;

/** Where a verification by test restore is: waiting, running, or how it ended. */
public enum VerificationState {
    /** Waiting for a verification server with room for it. */
    PLANNED,
    /** Its VERIFY restore request is out; the restore-worker's answer is awaited. */
    RUNNING,
    /** The dump restored and every table matched its row count and checksum. */
    VERIFIED,
    /** The dump did not restore, or a table differed: the dump is VERIFICATION_FAILED. */
    FAILED,
    /** The test restore could not run (server unreachable, worker error, no answer): says nothing about the dump. */
    ERROR,
    /** Never started, with the reason: no verification server fits it, or the dump went before its turn. */
    SKIPPED;

    /** Whether it has ended. */
    public boolean ended() {
        return this != PLANNED && this != RUNNING;
    }
}
