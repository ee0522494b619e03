package io.pgsnapman.service.catalog.fleet;

/** How a dump job stands, in the order an operator should look at them: failures first. */
public enum JobHealth {
    /** Its latest dump FAILED, or was found wrong (VERIFICATION_FAILED). */
    FAILED,
    /** Its newest verified dump is older than 1.5 times its schedule's longest interval (the alert's rule). */
    LATE,
    /** Active, with dumps but none verified yet. */
    UNVERIFIED,
    /** Active, and its newest verified dump is recent enough; or it has no dump yet. */
    OK,
    /** Halted: scheduled dumps are not made. */
    HALTED,
    /** Deleted from the configuration; its dumps stay until retention's grace for deleted jobs ends. */
    DELETED
}
