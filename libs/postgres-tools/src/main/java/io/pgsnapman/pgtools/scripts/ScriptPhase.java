package io.pgsnapman.pgtools.scripts;

import java.util.List;

/**
 * When a script or hook runs, as its {@code PGSNAPMAN_PHASE} says: the script of a SCRIPT dump or restore job, or one
 * of the four hooks. A hook phase also names the job fields its SQL and script come from ({@code hooks.preDumpSql}).
 */
public enum ScriptPhase {
    DUMP("dump", null),
    RESTORE("restore", null),
    PRE_DUMP("pre-dump", "preDump"),
    POST_DUMP("post-dump", "postDump"),
    PRE_RESTORE("pre-restore", "preRestore"),
    POST_RESTORE("post-restore", "postRestore");

    private final String label;
    private final String hookField;

    ScriptPhase(String label, String hookField) {
        this.label = label;
        this.hookField = hookField;
    }

    /** The phase as scripts see it and logs show it, e.g. {@code pre-dump}. */
    public String label() {
        return label;
    }

    /** Whether this is a hook around a dump or restore (rather than the job's own script). */
    public boolean hook() {
        return hookField != null;
    }

    /** The name of the step that runs this hook, e.g. {@code run pre-dump hook}; fails unless it is one of {@code allowed}. */
    public String hookStep(ScriptPhase... allowed) {
        if (!List.of(allowed).contains(this)) {
            throw new IllegalArgumentException("no step runs a " + label + " hook here");
        }
        return "run " + label + " hook";
    }

    /** The job's field for this hook's SQL, e.g. {@code hooks.preDumpSql}. */
    public String sqlField() {
        return "hooks." + hookField + "Sql";
    }

    /** The job's field naming this hook's script, or {@code scriptName} for a job's own script. */
    public String scriptField() {
        return hook() ? "hooks." + hookField + "Script" : "scriptName";
    }
}
