package io.pgsnapman.service.catalog.notify;

/** What PgSnapMan notifies about; a destination may ask for some of them only. */
public enum NotificationKind {
    /** A dump ended FAILED. */
    DUMP_FAILED("Dump failed"),
    /** A test restore did not reproduce a dump: it is VERIFICATION_FAILED. */
    VERIFICATION_FAILED("Verification failed"),
    /** A job's newest verified dump is older than 1.5 times its schedule's interval (once per such episode). */
    BACKUP_MISSING("Backup missing"),
    /** A restore request was answered REJECTED. */
    RESTORE_REJECTED("Restore request rejected"),
    /** A restore (not a test restore) ended FAILED. */
    RESTORE_FAILED("Restore failed");

    private final String title;

    NotificationKind(String title) {
        this.title = title;
    }

    /** A few words for a subject line. */
    public String title() {
        return title;
    }
}
