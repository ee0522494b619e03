package io.pgsnapman.service.restoreworker;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.scripts.ScriptDirectory;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.service.restoreworker.steps.RestoreSteps;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.schemas.VerifyRequests;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a restore request before anything touches a server: target known and allowing restores (for a test
 * restore: a verification server, and a scratch database name), dump known, complete and verified, database name
 * valid, options coherent. A refusal is a {@link Failure}
 * with a code, the offending field and the reason; the caller answers REJECTED with it.
 */
final class RestoreValidator {

    /**
     * A request that passed: its target server, the dump to restore and, if named, the dump to take roles from.
     *
     * @param job the restore job it names (its hooks and script, from its configuration); null when none
     */
    record Plan(ServerConfig target, DumpReader dump, DumpReader rolesDump, RestoreJobConfig job) {}

    /** Either a plan or the reason the request is refused. */
    record Verdict(Plan plan, Failure rejection) {}

    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_ .$-]{0,62}");
    private static final Pattern SCHEMA_NAME = Pattern.compile("[^\"\\p{Cntrl}]{1,63}");
    /** Longest request id accepted; ids are the callers' idempotency keys and travel as record keys. */
    static final int MAX_REQUEST_ID = 256;
    private static final Set<String> RESERVED = Set.of("template0", "template1", "postgres");

    private final CompactedTopicCache<ServerConfig> servers;
    private final CompactedTopicCache<RestoreJobConfig> restoreJobs;
    private final DumpRepository repository;
    private final ScriptDirectory scripts;

    RestoreValidator(CompactedTopicCache<ServerConfig> servers, CompactedTopicCache<RestoreJobConfig> restoreJobs,
            DumpRepository repository, ScriptDirectory scripts) {
        this.servers = servers;
        this.restoreJobs = restoreJobs;
        this.repository = repository;
        this.scripts = scripts;
    }

    Verdict check(RestoreRequested request) {
        String id = request.getRestoreRequestId();
        if (id.isEmpty() || id.length() > MAX_REQUEST_ID || id.chars().anyMatch(Character::isISOControl)) {
            return reject(FailureCode.INVALID_REQUEST_ID, "restoreRequestId",
                    "must be 1 to " + MAX_REQUEST_ID + " characters without control characters");
        }
        Optional<ServerConfig> target = servers.get(request.getTargetServerId());
        if (target.isEmpty()) {
            return reject(FailureCode.UNKNOWN_TARGET, "targetServerId", "no server '" + request.getTargetServerId() + "' is configured");
        }
        boolean verify = request.getPurpose() == RestorePurpose.VERIFY;
        Optional<RestoreJobConfig> job = request.getRestoreJobId() == null || verify ? Optional.empty()
                : restoreJobs.get(request.getRestoreJobId());
        if (request.getRestoreJobId() != null && !verify && job.isEmpty()) {
            // its hooks (an anonymisation, say) are unknown: restoring without them could expose what they hide
            return reject(FailureCode.UNKNOWN_RESTORE_JOB, "restoreJobId", "no restore job '" + request.getRestoreJobId()
                    + "' is configured");
        }
        if (verify && target.get().getVerification() == null) {
            return reject(FailureCode.NOT_A_VERIFICATION_SERVER, "targetServerId",
                    "server '" + target.get().getName() + "' is not a verification server");
        }
        if (!verify && !target.get().getAllowRestores()) {
            return reject(FailureCode.TARGET_DISALLOWS_RESTORES, "targetServerId",
                    "server '" + target.get().getName() + "' does not allow restores");
        }
        String database = request.getTargetDatabaseName();
        if (verify && !VerifyRequests.isScratch(database)) {
            return reject(FailureCode.INVALID_DATABASE_NAME, "targetDatabaseName", "a test restore goes into a scratch"
                    + " database named " + VerifyRequests.SCRATCH_PREFIX + "..., not '" + database + "'");
        }
        if (database == null || !DATABASE_NAME.matcher(database).matches()) {
            return reject(FailureCode.INVALID_DATABASE_NAME, "targetDatabaseName", "'" + database
                    + "' is not a valid database name (letters, digits, '_', ' ', '.', '$', '-'; at most 63)");
        }
        if (RESERVED.contains(database) || database.equals(target.get().getMaintenanceDatabase())) {
            return reject(FailureCode.INVALID_DATABASE_NAME, "targetDatabaseName", "'" + database + "' is reserved on the target");
        }
        RestoreOptions options = request.getOptions();
        if (options.getParallelJobs() < 1 || options.getParallelJobs() > 64) {
            return reject(FailureCode.INVALID_OPTIONS, "options.parallelJobs", "must be 1 to 64");
        }
        if (options.getSchemaName() != null && !SCHEMA_NAME.matcher(options.getSchemaName()).matches()) {
            return reject(FailureCode.INVALID_OPTIONS, "options.schemaName",
                    "'" + options.getSchemaName() + "' is not a schema name (1 to 63 characters, no quotes or control characters)");
        }
        ExistingDatabasePolicy policy = options.getExistingDatabase();
        if (job.isPresent() && !RestoreSteps.alwaysViaTemporary(policy) && !JobScripts.of(job.get()).isEmpty()) {
            return reject(FailureCode.INVALID_OPTIONS, "options.existingDatabase", "restore job '" + job.get().getName()
                    + "' has " + JobScripts.of(job.get()).keySet() + ", which work on a temporary database before it takes"
                    + " the target's place; " + policy + " loads into the target itself");
        }
        Optional<Failure> unknownScript = job.flatMap(j -> scripts.firstUnknown(JobScripts.scripts(j)));
        if (unknownScript.isPresent()) {
            return new Verdict(null, unknownScript.get());
        }
        if (options.getExistingDatabase() == ExistingDatabasePolicy.TRUNCATE && options.getSchemaOnly()) {
            return reject(FailureCode.INVALID_OPTIONS, "options.schemaOnly",
                    "TRUNCATE loads data into the existing schema; it cannot be combined with schemaOnly");
        }
        if (options.getRolesFromDumpId() != null && options.getRoles() != RolePolicy.USE_ROLE) {
            return reject(FailureCode.INVALID_OPTIONS, "options.rolesFromDumpId", "roles are taken from a dump only with USE_ROLE");
        }
        DumpReader rolesDump = null;
        if (options.getRolesFromDumpId() != null) {
            Optional<DumpReader> roles = open(options.getRolesFromDumpId());
            if (roles.isEmpty() || !DumpKind.of(roles.get().manifest().dumpType()).rolesSource()) {
                return reject(FailureCode.UNKNOWN_DUMP, "options.rolesFromDumpId", "no complete GLOBALS or CLUSTER_SCHEMA_ONLY dump '"
                        + options.getRolesFromDumpId() + "' in the repository");
            }
            rolesDump = roles.get();
        }
        Optional<DumpReader> dump = resolveDump(request);
        if (dump.isEmpty()) {
            return request.getDumpId() == null && request.getSourceDumpJobId() == null
                    ? reject(FailureCode.MISSING_DUMP, "dumpId", "name a dumpId or a sourceDumpJobId")
                    : reject(FailureCode.UNKNOWN_DUMP, request.getDumpId() != null ? "dumpId" : "sourceDumpJobId",
                            "no complete dump " + (request.getDumpId() != null ? "'" + request.getDumpId() + "'"
                                    : "of job '" + request.getSourceDumpJobId() + "'") + " in the repository");
        }
        Manifest manifest = dump.get().manifest();
        boolean scripted = job.map(j -> j.getScriptName() != null).orElse(false);
        if (!scripted && !DumpKind.of(manifest.dumpType()).restorableIntoDatabase()) {
            return reject(FailureCode.UNSUPPORTED_DUMP_TYPE, "dumpId", "dump type " + manifest.dumpType()
                    + " cannot be restored into a database" + (DumpKind.of(manifest.dumpType()).scripted()
                            ? " by pg_restore; a restore job with a scriptName restores it" : ""));
        }
        if (!manifest.verified()) {
            return reject(FailureCode.DUMP_NOT_VERIFIED, "dumpId", "dump '" + manifest.dumpId() + "' was never verified");
        }
        return new Verdict(new Plan(target.get(), dump.get(), rolesDump, job.orElse(null)), null);
    }

    private Optional<DumpReader> resolveDump(RestoreRequested request) {
        if (request.getDumpId() != null) {
            return open(request.getDumpId());
        }
        if (request.getSourceDumpJobId() == null) {
            return Optional.empty();
        }
        return repository.list().stream()
                .filter(m -> request.getSourceDumpJobId().equals(m.dumpJobId()))
                .filter(Manifest::verified)
                .max(Comparator.comparing(Manifest::scheduledAt))
                .flatMap(m -> repository.open(m.dumpId()));
    }

    private Optional<DumpReader> open(String dumpId) {
        try {
            return repository.open(dumpId);
        } catch (IllegalArgumentException invalidId) {
            return Optional.empty();
        }
    }

    private static Verdict reject(FailureCode code, String field, String reason) {
        return new Verdict(null, code.failure(reason).setField(field).build());
    }
}
