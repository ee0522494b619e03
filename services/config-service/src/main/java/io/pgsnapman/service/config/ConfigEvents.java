package io.pgsnapman.service.config;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.config.AutoDumpJobRule;
import io.pgsnapman.events.config.BackupWindow;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.Retention;
import io.pgsnapman.events.config.VerificationPolicy;
import io.pgsnapman.events.config.VerificationServer;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpHooks;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.service.config.api.DumpJobSpec;
import io.pgsnapman.service.config.api.Resource;
import io.pgsnapman.service.config.api.RestoreJobSpec;
import io.pgsnapman.service.config.api.RestoreOptionsSpec;
import io.pgsnapman.service.config.api.RetentionSpec;
import io.pgsnapman.service.config.api.ServerSpec;

/** Turns stored configuration into the events of the compacted config topics. */
final class ConfigEvents {

    private ConfigEvents() {}

    static ServerConfig server(Resource<ServerSpec> r, EventHeader header) {
        ServerSpec s = r.spec();
        return ServerConfig.newBuilder()
                .setHeader(header)
                .setServerId(r.id())
                .setName(s.name())
                .setHost(s.host())
                .setPort(s.port())
                .setMaintenanceDatabase(s.maintenanceDatabase())
                .setUsername(s.username())
                .setCredentialRef(s.credentialRef())
                .setSslMode(s.sslMode())
                .setWorkerPool(s.workerPool())
                .setPgBinDir(s.pgBinDir())
                .setAllowDumps(s.allowDumps())
                .setAllowRestores(s.allowRestores())
                .setMaxConcurrentDumps(s.maxConcurrentDumps())
                .setVerification(s.verification() == null ? null : VerificationServer.newBuilder()
                        .setDiskBudgetBytes(s.verification().diskBudgetBytes())
                        .setMaxConcurrent(s.verification().maxConcurrent())
                        .setMajorVersion(s.verification().majorVersion())
                        .build())
                .setAutoDumpJob(s.autoDumpJob() == null ? null : AutoDumpJobRule.newBuilder()
                        .setJobState(s.autoDumpJob().jobState())
                        .setCron(s.autoDumpJob().cron())
                        .setTimeZone(s.autoDumpJob().timeZone())
                        .setExcludeDatabases(s.autoDumpJob().excludeDatabases())
                        .setRetention(retention(s.autoDumpJob().retention()))
                        .build())
                .setDescription(s.description())
                .setLabels(s.labels())
                .setRevision(r.revision())
                .build();
    }

    static DumpSpec dumpSpec(DumpJobSpec s) {
        return DumpSpec.newBuilder()
                .setDumpType(s.dumpType())
                .setDatabaseName(s.databaseName())
                .setSchemaName(s.schemaName())
                .setParallelJobs(s.parallelJobs())
                .setCompressionLevel(s.compressionLevel())
                .setExcludeSchemas(s.excludeSchemas())
                .setExcludeTableData(s.excludeTableData())
                .setScriptName(s.scriptName())
                .setHooks(s.hooks() == null ? DumpHooks.newBuilder().build() : DumpHooks.newBuilder()
                        .setPreDumpSql(s.hooks().preDumpSql()).setPreDumpScript(s.hooks().preDumpScript())
                        .setPostDumpSql(s.hooks().postDumpSql()).setPostDumpScript(s.hooks().postDumpScript()).build())
                .build();
    }

    static DumpJobConfig dumpJob(Resource<DumpJobSpec> r, EventHeader header) {
        DumpJobSpec s = r.spec();
        return DumpJobConfig.newBuilder()
                .setHeader(header)
                .setDumpJobId(r.id())
                .setName(s.name())
                .setServerId(s.serverId())
                .setSpec(dumpSpec(s))
                .setState(s.state())
                .setCron(s.cron())
                .setTimeZone(s.timeZone())
                .setBackupWindow(s.backupWindow() == null ? null
                        : BackupWindow.newBuilder().setStart(s.backupWindow().start()).setEnd(s.backupWindow().end()).build())
                .setRetention(retention(s.retention()))
                .setVerify(s.verify())
                .setVerification(VerificationPolicy.newBuilder()
                        .setMode(s.verification().mode())
                        .setEveryNth(s.verification().everyNth())
                        .setPercent(s.verification().percent())
                        .setPeriodHours(s.verification().periodHours())
                        .build())
                .setDedup(s.dedup())
                .setDescription(s.description())
                .setLabels(s.labels())
                .setRevision(r.revision())
                .build();
    }

    static RestoreJobConfig restoreJob(Resource<RestoreJobSpec> r, EventHeader header) {
        RestoreJobSpec s = r.spec();
        return RestoreJobConfig.newBuilder()
                .setHeader(header)
                .setRestoreJobId(r.id())
                .setName(s.name())
                .setSourceDumpJobId(s.sourceDumpJobId())
                .setTargetServerId(s.targetServerId())
                .setTargetDatabaseName(s.targetDatabaseName())
                .setTrigger(s.trigger())
                .setCron(s.cron())
                .setTimeZone(s.timeZone())
                .setState(s.state())
                .setOptions(restoreOptions(s.options()))
                .setScriptName(s.scriptName())
                .setHooks(s.hooks() == null ? RestoreHooks.newBuilder().build() : RestoreHooks.newBuilder()
                        .setPreRestoreSql(s.hooks().preRestoreSql()).setPreRestoreScript(s.hooks().preRestoreScript())
                        .setPostRestoreSql(s.hooks().postRestoreSql()).setPostRestoreScript(s.hooks().postRestoreScript())
                        .build())
                .setDescription(s.description())
                .setLabels(s.labels())
                .setRevision(r.revision())
                .build();
    }

    static RestoreOptions restoreOptions(RestoreOptionsSpec o) {
        return RestoreOptions.newBuilder()
                .setExistingDatabase(o.existingDatabase())
                .setRoles(o.roles())
                .setTablespaces(o.tablespaces())
                .setParallelJobs(o.parallelJobs())
                .setSchemaOnly(o.schemaOnly())
                .setSchemaName(o.schemaName())
                .setApplyDatabaseAcl(o.applyDatabaseAcl())
                .setApplyDatabaseSettings(o.applyDatabaseSettings())
                .setRolesFromDumpId(o.rolesFromDumpId())
                .setVerifyRowCounts(o.verifyRowCounts())
                .build();
    }

    private static Retention retention(RetentionSpec r) {
        return Retention.newBuilder()
                .setKeepDaily(r.keepDaily())
                .setKeepWeekly(r.keepWeekly())
                .setKeepMonthly(r.keepMonthly())
                .setKeepYearly(r.keepYearly())
                .setMinCount(r.minCount())
                .setKeepFailedDays(r.keepFailedDays())
                .build();
    }
}
