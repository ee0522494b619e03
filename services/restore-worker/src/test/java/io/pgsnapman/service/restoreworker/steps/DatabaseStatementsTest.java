package io.pgsnapman.service.restoreworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabaseStatementsTest {

    private static final Manifest.DatabaseInfo SHOP = new Manifest.DatabaseInfo("Shop Owner", "UTF8", "de_DE.UTF-8",
            "de_DE.UTF-8", "fast ssd", 25, List.of(), List.of());

    @Test
    void theDatabaseIsCreatedFromTemplate0WithItsLocaleAndOwnerAndTablespaceOnlyWhenAsked() {
        assertThat(DatabaseStatements.createDatabase("shop_tmp", SHOP, true, true)).isEqualTo(
                "CREATE DATABASE \"shop_tmp\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'de_DE.UTF-8'"
                        + " LC_CTYPE 'de_DE.UTF-8' OWNER \"Shop Owner\" TABLESPACE \"fast ssd\"");
        assertThat(DatabaseStatements.createDatabase("shop_tmp", SHOP, false, false)).isEqualTo(
                "CREATE DATABASE \"shop_tmp\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'de_DE.UTF-8'"
                        + " LC_CTYPE 'de_DE.UTF-8'");
        assertThat(DatabaseStatements.createDatabase("x", null, true, true)).isEqualTo("CREATE DATABASE \"x\" TEMPLATE template0");
    }

    @Test
    void theRecordedAclIsReappliedToExistingRolesAndPublicWithoutGrantOptionMarkers() {
        // Given PUBLIC's temp and connect, the owner's everything with grant options, a quoted role, and a role the
        // target lacks
        List<String> acl = List.of("=Tc/postgres", "postgres=C*T*c*/postgres", "\"Report \"\"Team\"\"\"=c/postgres",
                "ghost=c/postgres", "not an aclitem");

        // When its statements are made
        List<String> statements = DatabaseStatements.acl("shop", acl, Set.of("postgres", "Report \"Team\"")::contains);

        // Then PUBLIC's defaults go first, then one GRANT each, and the missing role is skipped
        assertThat(statements).containsExactly(
                "REVOKE ALL ON DATABASE \"shop\" FROM PUBLIC",
                "GRANT TEMPORARY, CONNECT ON DATABASE \"shop\" TO PUBLIC",
                "GRANT CREATE, TEMPORARY, CONNECT ON DATABASE \"shop\" TO \"postgres\"",
                "GRANT CONNECT ON DATABASE \"shop\" TO \"Report \"\"Team\"\"\"");
        assertThat(DatabaseStatements.acl("shop", List.of(), r -> true)).isEmpty();
    }

    @Test
    void settingsBecomeAlterDatabaseWithTheValueAsALiteralAndOddNamesAreSkipped() {
        assertThat(DatabaseStatements.settings("shop", List.of("work_mem=64MB", "search_path=app, public",
                "bad name;drop=x", "=orphan"))).containsExactly(
                "ALTER DATABASE \"shop\" SET work_mem = '64MB'",
                "ALTER DATABASE \"shop\" SET search_path = 'app, public'");
    }

    @Test
    void theGranteeOfAnAclItemIsUnquotedAndPublicHasNone() {
        assertThat(DatabaseStatements.grantee("reporting=c/postgres")).contains("reporting");
        assertThat(DatabaseStatements.grantee("\"we\"\"ird\"=c/postgres")).contains("we\"ird");
        assertThat(DatabaseStatements.grantee("=Tc/postgres")).isEmpty();
    }

    @Test
    void pgRestoreLeavesOutOwnersPrivilegesAndTablespacesAsTheOptionsSay() {
        // Given options without roles and tablespaces, schema only, one schema's list
        RestoreOptions options = RestoreOptions.newBuilder(SampleEvents.restoreOptions()).setParallelJobs(3)
                .setRoles(RolePolicy.NO_ROLE).setTablespaces(TablespacePolicy.NO_TBLSPC).setSchemaOnly(true)
                .setExistingDatabase(ExistingDatabasePolicy.DROP).build();

        // When the command line is made
        List<String> command = DatabaseStatements.pgRestore(Path.of("/pg/bin/pg_restore"), "shop_tmp", options,
                Path.of("/tmp/ledger.list"), Path.of("/repo/dumps/job/1"));

        // Then every option is there, the list before the dump directory, which comes last
        assertThat(command).containsExactly("/pg/bin/pg_restore", "--dbname=shop_tmp", "--jobs=3", "--exit-on-error",
                "--no-password", "--no-owner", "--no-privileges", "--no-tablespaces", "--schema-only",
                "--use-list=/tmp/ledger.list", "/repo/dumps/job/1");
    }

    @Test
    void pgRestoreWithRolesAndTablespacesKeepsOwnersPrivilegesAndTablespaces() {
        RestoreOptions options = RestoreOptions.newBuilder(SampleEvents.restoreOptions()).setParallelJobs(1)
                .setRoles(RolePolicy.USE_ROLE).setTablespaces(TablespacePolicy.USE_TBLSPC).setSchemaOnly(false).build();

        assertThat(DatabaseStatements.pgRestore(Path.of("pg_restore"), "shop", options, null, Path.of("/d")))
                .containsExactly("pg_restore", "--dbname=shop", "--jobs=1", "--exit-on-error", "--no-password", "/d");
    }

    @Test
    void aReloadReadsOnlyTheDataWithTriggersDisabledOnlyForASuperuser() {
        Path tool = Path.of("/pg/bin/pg_restore");
        Path dump = Path.of("/repo/dumps/job/1");

        assertThat(DatabaseStatements.dataOnlyRestore(tool, true, "sales", dump)).containsExactly("/pg/bin/pg_restore",
                "--data-only", "--file=-", "--disable-triggers", "--schema=sales", "/repo/dumps/job/1");
        assertThat(DatabaseStatements.dataOnlyRestore(tool, false, null, dump)).containsExactly("/pg/bin/pg_restore",
                "--data-only", "--file=-", "/repo/dumps/job/1");
    }

    @Test
    void aReloadTruncatesAndLoadsInOneTransactionThatStopsAtTheFirstError() {
        List<String> command = DatabaseStatements.truncateAndLoad(Path.of("/pg/bin/psql"), "shop",
                List.of("\"public\".\"items\"", "\"Sales\".\"orders\""));

        assertThat(command).containsExactly("/pg/bin/psql", "--no-psqlrc", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1", "--single-transaction", "--dbname=shop",
                "--command=TRUNCATE TABLE \"public\".\"items\", \"Sales\".\"orders\"", "--file=-");
        assertThat(DatabaseStatements.truncateAndLoad(Path.of("psql"), "shop", List.of()))
                .as("no table has data: nothing to truncate").doesNotContain("--command=TRUNCATE TABLE ");
    }
}
