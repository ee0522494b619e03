package io.pgsnapman.service.catalog.notify;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.service.catalog.store.FleetStore;
import java.time.Instant;
import java.util.Optional;

/** The notifications the outcome events make (pure): what they say, and the key that makes each one once. */
public final class Notifications {

    private Notifications() {}

    /** A dump that ended FAILED. */
    public static Optional<Notification> of(DumpCompleted dump) {
        if (dump.getOutcome() != Outcome.FAILED) {
            return Optional.empty();
        }
        String database = dump.getSpec() == null || dump.getSpec().getDatabaseName() == null ? ""
                : " of database " + dump.getSpec().getDatabaseName();
        return Optional.of(new Notification(NotificationKind.DUMP_FAILED, NotificationKind.DUMP_FAILED + "/" + dump.getDumpId(),
                dump.getFinishedAt(), dump.getServerId(), null, dump.getDumpJobId(), null, dump.getDumpId(),
                "Dump " + dump.getDumpId() + database + " FAILED: " + why(dump.getFailure())));
    }

    /** A restore request answered REJECTED, or a restore (not a test restore) that ended FAILED. */
    public static Optional<Notification> of(RestoreCompleted answer) {
        if (answer.getPurpose() == RestorePurpose.VERIFY || answer.getOutcome() == Outcome.SUCCEEDED) {
            return Optional.empty();
        }
        NotificationKind kind = answer.getOutcome() == Outcome.REJECTED ? NotificationKind.RESTORE_REJECTED
                : NotificationKind.RESTORE_FAILED;
        String target = answer.getTargetDatabaseName() == null ? "" : " into database " + answer.getTargetDatabaseName();
        return Optional.of(new Notification(kind, kind + "/" + answer.getRestoreRequestId(), answer.getFinishedAt(),
                answer.getTargetServerId(), null, null, null, answer.getRestoreRequestId(),
                "Restore request " + answer.getRestoreRequestId() + target
                        + (kind == NotificationKind.RESTORE_REJECTED ? " was REJECTED: " : " FAILED (the target was left as it was): ")
                        + why(answer.getFailure())));
    }

    /** A test restore that did not reproduce its dump. */
    public static Notification verificationFailed(String verificationId, String dumpId, String dumpJobId, String serverId,
            String reason, Instant at) {
        return new Notification(NotificationKind.VERIFICATION_FAILED, NotificationKind.VERIFICATION_FAILED + "/" + verificationId,
                at, serverId, null, dumpJobId, null, dumpId,
                "Test restore " + verificationId + " of dump " + dumpId + " FAILED; the dump is VERIFICATION_FAILED: " + reason);
    }

    private static String why(Failure failure) {
        return failure == null ? "no reason given" : FleetStore.failure(failure.getReason(), failure.getStderrExcerpt());
    }
}
