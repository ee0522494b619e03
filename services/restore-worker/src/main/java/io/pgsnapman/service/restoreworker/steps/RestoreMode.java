package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.ExistingDatabasePolicy;

/**
 * How a restore fills its target, decided once the target is inspected: which of the later steps act.
 */
enum RestoreMode {

    /** TRUNCATE on an existing database: its tables are emptied and reloaded in one transaction; nothing created. */
    RELOAD_EXISTING(false, false),
    /** DROP_BEFORE: the existing database is dropped, the dump restored straight into its name. */
    DIRECT(true, false),
    /** Every other case: restored into a temporary database that then takes the target's place. */
    VIA_TEMPORARY(true, true);

    private final boolean createsDatabase;
    private final boolean viaTemporary;

    RestoreMode(boolean createsDatabase, boolean viaTemporary) {
        this.createsDatabase = createsDatabase;
        this.viaTemporary = viaTemporary;
    }

    /** The mode for a policy and whether the target database exists (LEAVE on an existing one is refused before). */
    static RestoreMode of(ExistingDatabasePolicy policy, boolean exists) {
        if (policy == ExistingDatabasePolicy.TRUNCATE && exists) {
            return RELOAD_EXISTING;
        }
        return policy == ExistingDatabasePolicy.DROP_BEFORE ? DIRECT : VIA_TEMPORARY;
    }

    /**
     * Whether a restore with this policy fills a temporary database whatever the target's state: only then may
     * the dump's files be checked while they are read, since a failure throws that database away.
     */
    static boolean alwaysViaTemporary(ExistingDatabasePolicy policy) {
        return policy != ExistingDatabasePolicy.DROP_BEFORE && policy != ExistingDatabasePolicy.TRUNCATE;
    }

    /** Whether a database is created and filled by pg_restore (and gets the dump's grants and settings). */
    boolean createsDatabase() {
        return createsDatabase;
    }

    /** Whether the data goes into a temporary database first, swapped in at the end. */
    boolean viaTemporary() {
        return viaTemporary;
    }
}
