package io.pgsnapman.service.restoreworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobalRolesTest {

    /** The shape pg_dumpall 15 writes with --globals-only. */
    private static final String SCRIPT = """
            --
            -- Roles
            --

            CREATE ROLE app;
            ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 5 PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a''b:c' VALID UNTIL '2030-01-01 00:00:00+00';
            CREATE ROLE "Report Readers";
            ALTER ROLE "Report Readers" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
            CREATE ROLE boss;
            ALTER ROLE boss WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;

            --
            -- Role memberships
            --

            GRANT "Report Readers" TO app GRANTED BY postgres;
            GRANT "Report Readers" TO boss WITH ADMIN OPTION GRANTED BY postgres;
            """;

    @Test
    void rolesAreCreatedWithTheirSafeAttributesButNoPasswordOrExpiry() {
        GlobalRoles roles = GlobalRoles.parse(SCRIPT);

        assertThat(roles.createStatement("app")).contains(
                "CREATE ROLE \"app\" WITH INHERIT NOCREATEROLE NOCREATEDB LOGIN CONNECTION LIMIT 5");
        assertThat(roles.createStatement("app").orElseThrow()).doesNotContain("PASSWORD", "SCRAM", "VALID");
    }

    @Test
    void superuserReplicationAndBypassRlsAreNeverCarriedOver() {
        GlobalRoles roles = GlobalRoles.parse(SCRIPT);

        assertThat(roles.createStatement("boss")).contains("CREATE ROLE \"boss\" WITH INHERIT CREATEROLE CREATEDB LOGIN");
    }

    @Test
    void quotedNamesAndMembershipsAreRead() {
        GlobalRoles roles = GlobalRoles.parse(SCRIPT);

        assertThat(roles.createStatement("Report Readers")).contains(
                "CREATE ROLE \"Report Readers\" WITH INHERIT NOCREATEROLE NOCREATEDB NOLOGIN");
        assertThat(roles.membershipsOf("app")).containsExactly(new GlobalRoles.Membership("Report Readers", "app", false));
        assertThat(roles.membershipsOf("boss")).extracting(GlobalRoles::grantStatement)
                .containsExactly("GRANT \"Report Readers\" TO \"boss\" WITH ADMIN OPTION");
    }

    /** pg_dumpall 16 and 17 write grant options after WITH (src/bin/pg_dump/pg_dumpall.c, dumpRoleMembership). */
    private static final String SCRIPT_16 = """
            CREATE ROLE app;
            ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;
            CREATE ROLE readers;
            ALTER ROLE readers WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
            CREATE ROLE lead;
            ALTER ROLE lead WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;
            CREATE ROLE auditor;
            ALTER ROLE auditor WITH NOSUPERUSER NOINHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;

            GRANT readers TO app WITH INHERIT TRUE GRANTED BY postgres;
            GRANT readers TO lead WITH ADMIN OPTION, INHERIT TRUE GRANTED BY postgres;
            GRANT readers TO auditor WITH INHERIT FALSE, SET FALSE GRANTED BY postgres;
            """;

    @Test
    void membershipsWithTheGrantOptionsOfPgDumpall16AndLaterAreRead() {
        GlobalRoles roles = GlobalRoles.parse(SCRIPT_16);

        assertThat(roles.membershipsOf("app")).containsExactly(new GlobalRoles.Membership("readers", "app", false));
        assertThat(roles.membershipsOf("lead")).containsExactly(new GlobalRoles.Membership("readers", "lead", true));
        assertThat(roles.membershipsOf("auditor")).containsExactly(new GlobalRoles.Membership("readers", "auditor", false));
        assertThat(roles.createStatement("auditor")).contains("CREATE ROLE \"auditor\" WITH NOINHERIT NOCREATEROLE NOCREATEDB LOGIN");
    }

    @Test
    void theAdminTrueSpellingOfPostgres16GrantsAdmin() {
        GlobalRoles roles = GlobalRoles.parse("CREATE ROLE r;\nCREATE ROLE m;\nGRANT r TO m WITH ADMIN TRUE;\n");

        assertThat(roles.membershipsOf("m")).extracting(GlobalRoles::grantStatement)
                .containsExactly("GRANT \"r\" TO \"m\" WITH ADMIN OPTION");
    }

    @Test
    void aRoleTheScriptDoesNotDefineHasNoStatement() {
        assertThat(GlobalRoles.parse(SCRIPT).createStatement("ghost")).isEmpty();
        assertThat(GlobalRoles.none().createStatement("app")).isEmpty();
    }
}
