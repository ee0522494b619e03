package io.pgsnapman.testsupport.events;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.activity.ActivityKind;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.Progress;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.events.config.AutoDumpJobRule;
import io.pgsnapman.events.config.BackupWindow;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.events.config.Retention;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.SslMode;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpHooks;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.catalog.TestRestore;
import io.pgsnapman.events.config.VerificationMode;
import io.pgsnapman.events.config.VerificationPolicy;
import io.pgsnapman.events.config.VerificationServer;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.events.schedule.SchedulerProgress;
import io.pgsnapman.schemas.AvroTrust;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fully populated sample events, one per value type of the topic table, with non-default values in every
 * field (so a field lost on the way shows as a difference). Times are whole milliseconds, as the wire
 * keeps them.
 */
public final class SampleEvents {

    private static final Instant T0 = Instant.parse("2026-03-29T01:30:00.123Z");

    static {
        AvroTrust.trustEventClasses();
    }

    private SampleEvents() {}

    /** A sample of the given event type. */
    public static <V extends SpecificRecord> V of(Class<V> type) {
        Object sample;
        if (type == ServerConfig.class) {
            sample = serverConfig();
        } else if (type == DumpJobConfig.class) {
            sample = dumpJobConfig();
        } else if (type == RestoreJobConfig.class) {
            sample = restoreJobConfig();
        } else if (type == DumpRequested.class) {
            sample = dumpRequested();
        } else if (type == DumpCompleted.class) {
            sample = dumpCompleted();
        } else if (type == RestoreRequested.class) {
            sample = restoreRequested();
        } else if (type == RestoreCompleted.class) {
            sample = restoreCompleted();
        } else if (type == CatalogEvent.class) {
            sample = catalogEvent();
        } else if (type == ActivityEvent.class) {
            sample = activityEvent();
        } else if (type == SchedulerProgress.class) {
            sample = SchedulerProgress.newBuilder()
                    .setHeader(header())
                    .setJobId("job-orders")
                    .setLastScheduledAt(T0)
                    .setLastDumpId("job-orders/20260329T013000Z")
                    .build();
        } else {
            throw new IllegalArgumentException("no sample for " + type.getName());
        }
        return type.cast(sample);
    }

    public static EventHeader header() {
        String id = UUID.randomUUID().toString();
        return EventHeader.newBuilder()
                .setEventId(id)
                .setOccurredAt(T0)
                .setProducer("sample/test-0")
                .setCorrelationId(id)
                .build();
    }

    public static DumpSpec dumpSpec() {
        return DumpSpec.newBuilder()
                .setDumpType(DumpType.FULL)
                .setDatabaseName("orders")
                .setSchemaName("sales")
                .setParallelJobs(4)
                .setCompressionLevel(6)
                .setExcludeSchemas(List.of("scratch"))
                .setExcludeTableData(List.of("sales.audit_log"))
                .setScriptName("export-orders.sh")
                .setHooks(DumpHooks.newBuilder().setPreDumpSql("ANALYZE").setPreDumpScript("pause-etl.sh")
                        .setPostDumpSql("NOTIFY dumped").setPostDumpScript("resume-etl.sh").build())
                .build();
    }

    public static RestoreOptions restoreOptions() {
        return RestoreOptions.newBuilder()
                .setExistingDatabase(ExistingDatabasePolicy.RENAME)
                .setRoles(RolePolicy.USE_ROLE)
                .setTablespaces(TablespacePolicy.USE_TBLSPC)
                .setParallelJobs(3)
                .setSchemaOnly(true)
                .setSchemaName("sales")
                .setApplyDatabaseAcl(false)
                .setApplyDatabaseSettings(false)
                .setRolesFromDumpId("globals-job/20260329T013000Z")
                .setVerifyRowCounts(false)
                .build();
    }

    public static ServerConfig serverConfig() {
        return ServerConfig.newBuilder()
                .setHeader(header())
                .setServerId("srv-prod-1")
                .setName("prod-orders")
                .setHost("db1.internal")
                .setPort(6432)
                .setMaintenanceDatabase("admin")
                .setUsername("pgsnapman")
                .setCredentialRef("prod-orders")
                .setSslMode(SslMode.VERIFY_FULL)
                .setWorkerPool("eu-west")
                .setPgBinDir("/usr/lib/postgresql/17/bin")
                .setAllowDumps(false)
                .setAllowRestores(true)
                .setMaxConcurrentDumps(5)
                .setVerification(VerificationServer.newBuilder().setDiskBudgetBytes(50_000_000_000L).setMaxConcurrent(2)
                        .setMajorVersion(17).build())
                .setAutoDumpJob(AutoDumpJobRule.newBuilder()
                        .setJobState(JobState.ACTIVE)
                        .setCron("15 2 * * *")
                        .setTimeZone("Europe/Berlin")
                        .setExcludeDatabases(List.of("template0", "template1", "postgres"))
                        .setRetention(retention())
                        .build())
                .setDescription("orders cluster")
                .setLabels(Map.of("env", "prod", "team", "payments"))
                .setRevision(7)
                .build();
    }

    public static Retention retention() {
        return Retention.newBuilder()
                .setKeepDaily(10)
                .setKeepWeekly(5)
                .setKeepMonthly(6)
                .setKeepYearly(2)
                .setMinCount(4)
                .setKeepFailedDays(3)
                .build();
    }

    public static DumpJobConfig dumpJobConfig() {
        return DumpJobConfig.newBuilder()
                .setHeader(header())
                .setDumpJobId("job-orders")
                .setName("orders nightly")
                .setServerId("srv-prod-1")
                .setSpec(dumpSpec())
                .setState(JobState.HALTED)
                .setCron("30 1 * * *")
                .setTimeZone("America/New_York")
                .setBackupWindow(BackupWindow.newBuilder().setStart("23:00").setEnd("04:00").build())
                .setRetention(retention())
                .setVerify(false)
                .setVerification(VerificationPolicy.newBuilder().setMode(VerificationMode.EVERY_NTH).setEveryNth(7)
                        .setPercent(25).setPeriodHours(168).build())
                .setDedup(true)
                .setDescription("nightly full dump")
                .setLabels(Map.of("tier", "gold"))
                .setRevision(3)
                .build();
    }

    public static RestoreJobConfig restoreJobConfig() {
        return RestoreJobConfig.newBuilder()
                .setHeader(header())
                .setRestoreJobId("rjob-orders-test")
                .setName("orders to test")
                .setSourceDumpJobId("job-orders")
                .setTargetServerId("srv-test-1")
                .setTargetDatabaseName("orders_copy")
                .setTrigger(RestoreJobTrigger.CRON)
                .setCron("0 6 * * 1")
                .setTimeZone("Asia/Kolkata")
                .setState(JobState.HALTED)
                .setOptions(restoreOptions())
                .setScriptName("load-orders.sh")
                .setHooks(RestoreHooks.newBuilder().setPostRestoreSql("UPDATE customers SET email = NULL")
                        .setPostRestoreScript("mask.sh").setPreRestoreSql("CREATE EXTENSION IF NOT EXISTS citext")
                        .setPreRestoreScript("prepare.sh").build())
                .setDescription("weekly refresh")
                .setLabels(Map.of("env", "test"))
                .setRevision(2)
                .build();
    }

    public static DumpRequested dumpRequested() {
        return DumpRequested.newBuilder()
                .setHeader(header())
                .setDumpId("job-orders/20260329T013000Z")
                .setDumpJobId("job-orders")
                .setServerId("srv-prod-1")
                .setWorkerPool("eu-west")
                .setSpec(dumpSpec())
                .setTrigger(DumpTrigger.AD_HOC)
                .setScheduledAt(T0)
                .setNotBefore(T0.plusSeconds(600))
                .setCatchUp(true)
                .setVerify(false)
                .setDedup(true)
                .setPin(true)
                .setRequestedBy("alice")
                .build();
    }

    public static DumpCompleted dumpCompleted() {
        return DumpCompleted.newBuilder()
                .setHeader(header())
                .setDumpId("job-orders/20260329T013000Z")
                .setDumpJobId("job-orders")
                .setServerId("srv-prod-1")
                .setSpec(dumpSpec())
                .setOutcome(Outcome.FAILED)
                .setTrigger(DumpTrigger.CRON)
                .setScheduledAt(T0)
                .setStartedAt(T0.plusSeconds(1))
                .setFinishedAt(T0.plusSeconds(65))
                .setLocation("job-orders/20260329T013000Z")
                .setManifestSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setFileCount(12)
                .setSizeBytes(123_456_789L)
                .setStoredBytes(23_456_789L)
                .setServerVersion("15.8")
                .setPgDumpVersion("15.18")
                .setDatabaseSizeBytes(987_654_321L)
                .setVerification(VerificationStatus.VERIFICATION_FAILED)
                .setPinned(true)
                .setFailure(Failure.newBuilder()
                        .setReason("pg_dump exited with 1")
                        .setCode("3D000")
                        .setField("databaseName")
                        .setExitCode(1)
                        .setStderrExcerpt("pg_dump: error: database \"orders\" does not exist")
                        .setRetriable(true)
                        .build())
                .setWorkerId("dump-worker-2")
                .build();
    }

    public static RestoreRequested restoreRequested() {
        return RestoreRequested.newBuilder()
                .setHeader(header())
                .setRestoreRequestId("req-42")
                .setDumpId("job-orders/20260329T013000Z")
                .setSourceDumpJobId("job-orders")
                .setTargetServerId("srv-test-1")
                .setTargetDatabaseName("orders_copy")
                .setOptions(restoreOptions())
                .setTrigger(RestoreTrigger.FAN_OUT)
                .setRestoreJobId("rjob-orders-test")
                .setRequestedBy("ci-pipeline")
                .setPurpose(RestorePurpose.VERIFY)
                .build();
    }

    public static RestoreCompleted restoreCompleted() {
        return RestoreCompleted.newBuilder()
                .setHeader(header())
                .setRestoreRequestId("req-42")
                .setOutcome(Outcome.REJECTED)
                .setDumpId("job-orders/20260329T013000Z")
                .setTargetServerId("srv-test-1")
                .setTargetDatabaseName("orders_copy")
                .setOptions(restoreOptions())
                .setTrigger(RestoreTrigger.AD_HOC)
                .setRestoreJobId("rjob-orders-test")
                .setStartedAt(T0.plusSeconds(70))
                .setFinishedAt(T0.plusSeconds(170))
                .setRestoredBytes(99_999L)
                .setPreviousDatabaseRenamedTo("orders_copy_20260329T013000Z")
                .setRowChecks(List.of(TableRowCheck.newBuilder()
                        .setSchemaName("sales")
                        .setTableName("orders")
                        .setExpectedRows(1000)
                        .setActualRows(999)
                        .setExpectedChecksum("hc64:123456789")
                        .setActualChecksum("hc64:-42")
                        .build()))
                .setRowCountsMatch(false)
                .setFailure(Failure.newBuilder()
                        .setReason("target server does not allow restores")
                        .setCode("TARGET_DISALLOWS_RESTORES")
                        .setField("targetServerId")
                        .build())
                .setWorkerId("restore-worker-1")
                .setAttempts(2)
                .setPurpose(RestorePurpose.VERIFY)
                .setTargetServerVersion("17.2 (Debian 17.2-1)")
                .build();
    }

    public static CatalogEvent catalogEvent() {
        return CatalogEvent.newBuilder()
                .setHeader(header())
                .setDumpId("job-orders/20260329T013000Z")
                .setType(CatalogEventType.EXPIRED)
                .setDumpJobId("job-orders")
                .setServerId("srv-prod-1")
                .setDatabaseName("orders")
                .setLocation("job-orders/20260329T013000Z")
                .setVerification(VerificationStatus.VERIFIED)
                .setPinned(true)
                .setSizeBytes(123_456_789L)
                .setStoredBytes(23_456_789L)
                .setExpiresAt(T0.plusSeconds(86_400))
                .setRetentionRule("weekly")
                .setInUseBy(List.of("rjob-orders-test"))
                .setReason("older than 5 weeks")
                .setTestRestore(TestRestore.newBuilder().setRestoreRequestId("verify-1").setServerId("srv-verify-17")
                        .setServerVersion("17.2").setTablesChecked(12).setDifferences(List.of(TableRowCheck.newBuilder()
                                .setSchemaName("sales").setTableName("orders").setExpectedRows(1000).setActualRows(1000)
                                .setExpectedChecksum("hc64:1").setActualChecksum("hc64:2").build())).build())
                .build();
    }

    public static ActivityEvent activityEvent() {
        return ActivityEvent.newBuilder()
                .setHeader(header())
                .setSource("dump-worker/dump-worker-2")
                .setKind(ActivityKind.PROGRESS)
                .setLevel(ActivityLevel.WARN)
                .setSubjectType(SubjectType.DUMP)
                .setSubjectId("job-orders/20260329T013000Z")
                .setServerId("srv-prod-1")
                .setJobId("job-orders")
                .setMessage("dumping sales.orders")
                .setProgress(Progress.newBuilder().setPhase("dumping").setDone(500).setTotal(1000L).setUnit("tables").build())
                .setAttributes(Map.of("pid", "4242"))
                .build();
    }
}
