package io.pgsnapman.service.catalog.retention;

/**
 * Every reason retention keeps or expires a dump, as named in events, the preview and the catalog. The keeping
 * rules are listed in the order they are tried: a dump is reported under the first that keeps it.
 */
public enum RetentionRule {

    /** Pinned: kept whatever else holds. */
    PINNED("pinned", true),
    /** A restore job would restore it now. */
    IN_USE("in-use", true),
    /** Its job is HALTED: nothing of it expires. */
    HALTED_JOB("halted-job", true),
    /** Its job was deleted less than the deleted-job grace ago. */
    DELETED_JOB_GRACE("deleted-job-grace", true),
    /** The job's newest usable dump. */
    NEWEST("newest", true),
    /** The newest of one of the last keepDaily local days that have a usable dump. */
    DAILY("daily", true),
    /** The newest of one of the last keepWeekly ISO weeks that have one. */
    WEEKLY("weekly", true),
    /** The newest of one of the last keepMonthly months that have one. */
    MONTHLY("monthly", true),
    /** The newest of one of the last keepYearly years that have one. */
    YEARLY("yearly", true),
    /** One of the newest minCount usable dumps. */
    MIN_COUNT("min-count", true),
    /** A FAILED or damaged dump younger than keepFailedDays, kept for diagnosis. */
    FAILED_RECENT("failed-recent", true),

    /** A usable dump no keeping rule holds any more. */
    NOT_KEPT("no-rule-keeps-it", false),
    /** A FAILED or damaged dump older than keepFailedDays. */
    FAILED_TOO_OLD("failed-too-old", false),
    /** Its job was deleted longer than the deleted-job grace ago. */
    DELETED_JOB("deleted-job", false);

    private final String label;
    private final boolean keeps;

    RetentionRule(String label, boolean keeps) {
        this.label = label;
        this.keeps = keeps;
    }

    /** The name in events and the API, e.g. {@code daily}. */
    public String label() {
        return label;
    }

    /** Whether the rule keeps the dump (otherwise it is why the dump expires). */
    public boolean keeps() {
        return keeps;
    }
}
