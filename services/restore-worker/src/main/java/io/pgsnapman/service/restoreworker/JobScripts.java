package io.pgsnapman.service.restoreworker;

import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a restore job runs besides pg_restore — its hooks and its script — by the job field each comes from. */
final class JobScripts {

    private JobScripts() {}

    /** Every hook and script the job configures, by field; only those set. */
    static Map<String, String> of(RestoreJobConfig job) {
        RestoreHooks h = job.getHooks();
        Map<String, String> all = new LinkedHashMap<>(scripts(job));
        all.put(ScriptPhase.PRE_RESTORE.sqlField(), h.getPreRestoreSql());
        all.put(ScriptPhase.POST_RESTORE.sqlField(), h.getPostRestoreSql());
        all.values().removeIf(v -> v == null || v.isBlank());
        return all;
    }

    /** The job's script names, by field (null where it has none). */
    static Map<String, String> scripts(RestoreJobConfig job) {
        RestoreHooks h = job.getHooks();
        Map<String, String> named = new LinkedHashMap<>();
        named.put(ScriptPhase.PRE_RESTORE.scriptField(), h.getPreRestoreScript());
        named.put(ScriptPhase.RESTORE.scriptField(), job.getScriptName());
        named.put(ScriptPhase.POST_RESTORE.scriptField(), h.getPostRestoreScript());
        return named;
    }
}
