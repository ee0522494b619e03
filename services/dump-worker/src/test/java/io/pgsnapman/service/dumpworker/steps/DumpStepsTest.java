package io.pgsnapman.service.dumpworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.dump.DumpHooks;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.pgtools.ServerIntrospector.TableEstimate;
import io.pgsnapman.pgtools.ToolCalls;
import io.pgsnapman.pgtools.ToolResult;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.pgtools.ToolVersion;
import io.pgsnapman.pgtools.scripts.Hook;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decisions of the dump's steps, each on its own, without a server. */
class DumpStepsTest {

    private static final TableEstimate ITEMS = new TableEstimate("public", "items", 900);
    private static final TableEstimate LOG = new TableEstimate("audit", "log", 10);
    private static final TableEstimate TMP = new TableEstimate("scratch", "tmp", 5);
    private static final ToolCalls TOOLS = new ToolCalls(new ToolRunner(), "test", Duration.ofHours(6));

    private static DumpSpec.Builder spec() {
        return DumpSpec.newBuilder().setDumpType(DumpType.FULL).setDatabaseName("shop");
    }

    @Test
    void onlyTablesOfDumpedSchemasAreRecorded() {
        List<TableEstimate> all = List.of(ITEMS, LOG, TMP);

        assertThat(ExportSnapshot.dumpedTables(all, spec().setExcludeSchemas(List.of("scratch")).build()))
                .containsExactly(ITEMS, LOG);
        assertThat(ExportSnapshot.dumpedTables(all, spec().setSchemaName("audit").build())).containsExactly(LOG);
    }

    @Test
    void aSnapshotIsExportedOnlyForADatabaseWhoseDataIsCountedExactly() {
        assertThat(ExportSnapshot.wanted(DumpKind.FULL, true)).isTrue();
        assertThat(ExportSnapshot.wanted(DumpKind.FULL, false)).isFalse();
        assertThat(ExportSnapshot.wanted(DumpKind.SCHEMA_ONLY, true)).as("no data, nothing to count").isFalse();
        assertThat(ExportSnapshot.wanted(DumpKind.GLOBALS, true)).as("not one database").isFalse();
    }

    @Test
    void exactCountsAndChecksumsReplaceEstimatesExceptForTablesWhoseDataIsLeftOut() {
        // Given counts and checksums in the dump's snapshot for both tables, and the log's data excluded
        DumpSpec spec = spec().setExcludeTableData(List.of("audit.log")).build();

        // When the manifest rows are made
        List<Manifest.TableRows> rows = CountRows.tableRows(List.of(ITEMS, LOG), Map.of(
                ITEMS, new TableContents.Summary(1234L, "h64:-42"), LOG, new TableContents.Summary(10L, "h64:7")), spec);

        // Then items has its exact count and checksum, and the log keeps an estimate that no restore checks
        assertThat(rows).containsExactly(new Manifest.TableRows("public", "items", 1234, true, "h64:-42"),
                new Manifest.TableRows("audit", "log", 10, false));
    }

    @Test
    void withoutCountsTheManifestHoldsEstimates() {
        assertThat(CountRows.tableRows(List.of(ITEMS), Map.of(), spec().build()))
                .containsExactly(new Manifest.TableRows("public", "items", 900, false));
    }

    @Test
    void aToolThatExitedNonZeroIsAFailureNamingTheToolAndItsExitCode() {
        // Given pg_dump exiting 1 on a missing database
        ToolResult result = new ToolResult(1, "", "pg_dump: error: FATAL:  database \"ghost\" does not exist",
                Duration.ofSeconds(1), false);

        // When the step judges it
        Optional<Failure> failure = RunTool.failure(DumpKind.FULL, result, TOOLS);

        // Then it is the database's SQLSTATE with the tool's words
        assertThat(failure).get().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo("pg_dump exited with 1");
            assertThat(f.getCode()).isEqualTo("3D000");
            assertThat(f.getStderrExcerpt()).contains("does not exist");
        });
    }

    @Test
    void aClusterToolThatTimedOutIsARetriableFailureNamingTheTimeout() {
        ToolResult result = new ToolResult(-1, "", "", Duration.ofHours(6), true);

        assertThat(RunTool.failure(DumpKind.GLOBALS, result, TOOLS)).get().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo("pg_dumpall timed out after PT6H");
            assertThat(f.getRetriable()).isTrue();
        });
    }

    @Test
    void aToolThatSucceededIsNoFailure() {
        assertThat(RunTool.failure(DumpKind.FULL, new ToolResult(0, "", "", Duration.ofSeconds(1), false), TOOLS))
                .isEmpty();
    }

    @Test
    void theManifestRecordsWhatTheStepsFoundAndWhatTheTickAsked() {
        // Given a tick that asks for verification and a pin, and what the earlier steps left
        DumpRequested tick = DumpRequested.newBuilder(SampleEvents.dumpRequested()).setVerify(true).setPin(true)
                .setSpec(spec().build()).build();
        Instant started = Instant.parse("2026-03-29T01:30:00Z");
        DumpContext dump = new DumpContext(tick, SampleEvents.serverConfig(), started,
                new ActivityReporter.Subject(SubjectType.DUMP, tick.getDumpId(), tick.getServerId(), null, null));
        dump.version = new ServerIntrospector.ServerVersion(new ToolVersion(17, 2), "PostgreSQL 17.2");
        dump.toolVersion = "17.4";
        dump.facts = new ServerIntrospector.DatabaseFacts("shop", "shop_owner", "UTF8", "C", "C", "pg_default", -1,
                List.of("=Tc/shop_owner"), List.of("work_mem=64MB"), 8_000_000);
        dump.rows = List.of(new Manifest.TableRows("public", "items", 1234, true));

        // When the commit step makes the manifest
        Manifest manifest = Commit.manifest(dump, started.plusSeconds(90), "dw-1");

        // Then it carries the dump's identity, the facts, the counts and the tick's wishes, typed
        assertThat(manifest.dumpId()).isEqualTo(tick.getDumpId());
        assertThat(manifest.dumpType()).isEqualTo(DumpType.FULL);
        assertThat(manifest.format()).isEqualTo(DumpFormat.DIRECTORY);
        assertThat(manifest.trigger()).isEqualTo(tick.getTrigger());
        assertThat(manifest.startedAt()).isEqualTo(started);
        assertThat(manifest.finishedAt()).isEqualTo(started.plusSeconds(90));
        assertThat(manifest.serverVersion()).isEqualTo("PostgreSQL 17.2");
        assertThat(manifest.pgDumpVersion()).isEqualTo("17.4");
        assertThat(manifest.database().owner()).isEqualTo("shop_owner");
        assertThat(manifest.database().settings()).containsExactly("work_mem=64MB");
        assertThat(manifest.database().sizeBytes()).isEqualTo(8_000_000L);
        assertThat(manifest.tables()).containsExactly(new Manifest.TableRows("public", "items", 1234, true));
        assertThat(manifest.verified()).isTrue();
        assertThat(manifest.pinned()).isTrue();
        assertThat(manifest.workerId()).isEqualTo("dw-1");
        assertThat(manifest.requestedBy()).isEqualTo("alice");
    }

    @Test
    void aScriptDumpRunsItsScriptAndBothHooksAndTheOtherKindsOnlyTheirHooks() {
        // Given a SCRIPT job with a pre-dump script and post-dump SQL, and a FULL job that also names a script
        DumpHooks hooks = DumpHooks.newBuilder().setPreDumpScript("pause.sh").setPostDumpSql("NOTIFY dumped").build();
        DumpSpec script = spec().setDumpType(DumpType.SCRIPT).setScriptName("export.sh").setHooks(hooks).build();
        DumpSpec full = spec().setScriptName("stray.sh").build();

        // Then the scripts checked up front are the hook's and the SCRIPT job's own, by the field naming each
        assertThat(CheckScripts.namedScripts(context(script))).containsEntry("hooks.preDumpScript", "pause.sh")
                .containsEntry("scriptName", "export.sh").containsEntry("hooks.postDumpScript", null);
        assertThat(CheckScripts.namedScripts(context(full))).as("only a SCRIPT job runs its scriptName")
                .containsEntry("scriptName", null);
        // and each hook step finds its own phase's hook
        assertThat(RunHook.hook(hooks, ScriptPhase.PRE_DUMP)).contains(new Hook(ScriptPhase.PRE_DUMP, null, "pause.sh"));
        assertThat(RunHook.hook(hooks, ScriptPhase.POST_DUMP)).contains(new Hook(ScriptPhase.POST_DUMP, "NOTIFY dumped", null));
        // and no table of the database is listed for a script's dump, so none is counted or checked at restore
        assertThat(DumpKind.SCRIPT.holdsData()).isFalse();
    }

    private static DumpContext context(DumpSpec spec) {
        DumpRequested tick = DumpRequested.newBuilder(SampleEvents.dumpRequested()).setSpec(spec).build();
        return new DumpContext(tick, SampleEvents.serverConfig(), Instant.parse("2026-11-30T02:00:01Z"), null);
    }
}
