package io.pgsnapman.service.restoreworker.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.pgtools.scripts.Hook;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.testsupport.PropertiesBinding;
import io.pgsnapman.repository.Manifest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions of the restore's steps, each on its own, without a server. */
class RestoreStepsTest {

    private static final Manifest.DatabaseInfo SHOP = new Manifest.DatabaseInfo("shop_owner", "UTF8", "C", "C",
            "fast_ssd", -1, List.of("=Tc/shop_owner", "reporting=c/shop_owner", "\"Audit Team\"=c/shop_owner"),
            List.of());

    @Test
    void truncateReloadsAnExistingDatabaseButRestoresAMissingOneViaATemporaryDatabase() {
        assertThat(RestoreMode.of(ExistingDatabasePolicy.TRUNCATE, true)).isEqualTo(RestoreMode.RELOAD_EXISTING);
        assertThat(RestoreMode.of(ExistingDatabasePolicy.TRUNCATE, false)).isEqualTo(RestoreMode.VIA_TEMPORARY);
    }

    @Test
    void dropBeforeRestoresStraightIntoTheTargetWhetherOrNotItExists() {
        assertThat(RestoreMode.of(ExistingDatabasePolicy.DROP_BEFORE, true)).isEqualTo(RestoreMode.DIRECT);
        assertThat(RestoreMode.of(ExistingDatabasePolicy.DROP_BEFORE, false)).isEqualTo(RestoreMode.DIRECT);
    }

    @Test
    void dropRenameAndLeaveGoThroughATemporaryDatabase() {
        for (ExistingDatabasePolicy policy : List.of(ExistingDatabasePolicy.DROP, ExistingDatabasePolicy.RENAME,
                ExistingDatabasePolicy.LEAVE)) {
            assertThat(RestoreMode.of(policy, false)).as(policy.name()).isEqualTo(RestoreMode.VIA_TEMPORARY);
        }
        assertThat(RestoreMode.of(ExistingDatabasePolicy.RENAME, true)).isEqualTo(RestoreMode.VIA_TEMPORARY);
    }

    @Test
    void onlyPoliciesThatNeverWriteIntoTheTargetItselfMayCheckTheDumpWhileItIsRead() {
        assertThat(RestoreMode.alwaysViaTemporary(ExistingDatabasePolicy.DROP_BEFORE)).isFalse();
        assertThat(RestoreMode.alwaysViaTemporary(ExistingDatabasePolicy.TRUNCATE)).isFalse();
        for (ExistingDatabasePolicy policy : ExistingDatabasePolicy.values()) {
            if (RestoreMode.alwaysViaTemporary(policy)) {
                assertThat(RestoreMode.of(policy, true)).as(policy.name()).isEqualTo(RestoreMode.VIA_TEMPORARY);
                assertThat(RestoreMode.of(policy, false)).as(policy.name()).isEqualTo(RestoreMode.VIA_TEMPORARY);
            }
        }
    }

    @Test
    void onlyAReloadLeavesTheDatabaseAsItIsAndOnlyATemporaryOneIsSwapped() {
        assertThat(RestoreMode.RELOAD_EXISTING.createsDatabase()).isFalse();
        assertThat(RestoreMode.DIRECT.createsDatabase()).isTrue();
        assertThat(RestoreMode.DIRECT.viaTemporary()).isFalse();
        assertThat(RestoreMode.VIA_TEMPORARY.viaTemporary()).isTrue();
    }

    @Test
    void temporaryNamesFitPostgresLimitAndDifferPerRequest() {
        String longName = "d".repeat(63);

        String tmp = InspectTarget.temporaryName(longName, "req-1");

        assertThat(tmp).hasSizeLessThanOrEqualTo(63).contains("_pgsnapman_");
        assertThat(InspectTarget.temporaryName("shop", "req-1")).isNotEqualTo(InspectTarget.temporaryName("shop", "req-2"));
    }

    @Test
    void aRenamedPreviousDatabaseKeepsItsNameCutToFitAndTheTimeInUtc() {
        Instant at = Instant.parse("2026-03-29T01:30:05Z");

        assertThat(Swap.keptName("shop", at)).isEqualTo("shop_20260329T013005");
        assertThat(Swap.keptName("x".repeat(63), at)).hasSizeLessThanOrEqualTo(63).isEqualTo("x".repeat(46) + "_20260329T013005");
    }

    @Test
    void theDumpsTablespaceIsWantedOnlyWithUseTblspcAndWhenItIsNotTheDefault() {
        RestoreOptions use = RestoreOptions.newBuilder().setTablespaces(TablespacePolicy.USE_TBLSPC).build();
        RestoreOptions no = RestoreOptions.newBuilder().setTablespaces(TablespacePolicy.NO_TBLSPC).build();
        Manifest.DatabaseInfo onDefault = new Manifest.DatabaseInfo("o", "UTF8", "C", "C", "pg_default", -1, List.of(),
                List.of());

        assertThat(CreateDatabase.wantsTablespace(SHOP, use)).isTrue();
        assertThat(CreateDatabase.wantsTablespace(SHOP, no)).isFalse();
        assertThat(CreateDatabase.wantsTablespace(onDefault, use)).isFalse();
        assertThat(CreateDatabase.wantsTablespace(null, use)).as("a cluster dump has no database facts").isFalse();
    }

    @Test
    void theRolesTheManifestNamesAreTheOwnerAndTheGranteesButNotPublic() {
        Manifest manifest = Manifest.builder().dumpId("job/1").database(SHOP).build();

        assertThat(EnsureRoles.rolesOf(manifest)).containsExactly("shop_owner", "reporting", "Audit Team");
        assertThat(EnsureRoles.rolesOf(Manifest.builder().dumpId("job/2").build())).isEmpty();
    }

    @Test
    void onlyExactCountsOfTheRestoredSchemaAreChecked() {
        // Given a dump with exact counts in two schemas and an estimate
        Manifest manifest = Manifest.builder().dumpId("job/1").tables(List.of(
                new Manifest.TableRows("public", "items", 1000, true),
                new Manifest.TableRows("audit", "log", 10, true),
                new Manifest.TableRows("public", "big", 5_000_000, false))).build();

        // When the restore asks for everything, or for one schema
        // Then estimates are never checked, and only the restored schema's tables are
        assertThat(CheckRows.expected(manifest, null)).extracting(Manifest.TableRows::table).containsExactly("items", "log");
        assertThat(CheckRows.expected(manifest, "audit")).extracting(Manifest.TableRows::table).containsExactly("log");
    }

    @Test
    void rowCountsMatchOnlyWhenEveryTableHasItsRows() {
        Manifest.TableRows items = new Manifest.TableRows("public", "items", 1000, true);
        Manifest.TableRows log = new Manifest.TableRows("audit", "log", 10, true);

        List<TableRowCheck> same = List.of(CheckRows.check(items, 1000), CheckRows.check(log, 10));
        List<TableRowCheck> oneShort = List.of(CheckRows.check(items, 999), CheckRows.check(log, 10));
        List<TableRowCheck> missing = List.of(CheckRows.check(items, -1));

        assertThat(CheckRows.allMatch(same)).isTrue();
        assertThat(CheckRows.allMatch(oneShort)).isFalse();
        assertThat(CheckRows.allMatch(missing)).isFalse();
        assertThat(oneShort.get(0).getExpectedRows()).isEqualTo(1000);
        assertThat(oneShort.get(0).getActualRows()).isEqualTo(999);
    }

    @Test
    void aTestRestoreLoadsLikeARestoreThenComparesAndDropsInsteadOfSwapping() {
        // Given the steps of a worker
        try (RestoreSteps steps = new RestoreSteps(null, java.time.Clock.systemUTC(), PropertiesBinding.bind(
                "pgsnapman.restore-worker", io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties.class,
                java.util.Map.of("pgsnapman.restore-worker.repository", "/tmp/unused")))) {
            // When the steps of each purpose are listed
            List<String> restore = steps.inOrder(RestorePurpose.RESTORE).stream().map(s -> s.name()).toList();
            List<String> verify = steps.inOrder(RestorePurpose.VERIFY).stream().map(s -> s.name()).toList();

            // Then both load the same way; only the restore swaps, only the test restore compares and drops
            assertThat(restore).containsExactly("verify checksums", "inspect target", "ensure roles", "create database",
                    "run pre-restore hook", "load data", "apply grants and settings", "run post-restore hook",
                    "swap into place", "check row counts");
            assertThat(verify).containsExactly("verify checksums", "inspect target", "ensure roles", "create database",
                    "load data", "compare table contents", "drop scratch database");
        }
    }

    @Test
    void eachHookStepTakesItsOwnPhasesSqlOrScriptFromTheJob() {
        // Given a job with SQL before the load and a script after it
        RestoreHooks hooks = RestoreHooks.newBuilder()
                .setPreRestoreSql("CREATE EXTENSION citext").setPostRestoreScript("mask.sh").build();

        // Then the pre-restore step runs the SQL, the post-restore step the script, and none without hooks
        assertThat(RunHook.hook(hooks, ScriptPhase.PRE_RESTORE))
                .contains(new Hook(ScriptPhase.PRE_RESTORE, "CREATE EXTENSION citext", null));
        assertThat(RunHook.hook(hooks, ScriptPhase.POST_RESTORE)).contains(new Hook(ScriptPhase.POST_RESTORE, null, "mask.sh"));
        assertThat(RunHook.hook(RestoreHooks.newBuilder().build(), ScriptPhase.POST_RESTORE))
                .isEmpty();
        assertThatThrownBy(() -> new RunHook(ScriptPhase.PRE_DUMP, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
