package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolVersionTest {

    @Test
    void parsesDebianPgDumpOutput() {
        assertThat(ToolVersion.parseToolOutput("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
                .isEqualTo(new ToolVersion(15, 18));
    }

    @Test
    void parsesDevelopmentVersionsWithoutMinor() {
        assertThat(ToolVersion.parseToolOutput("pg_dump (PostgreSQL) 18devel")).isEqualTo(new ToolVersion(18, 0));
    }

    @Test
    void refusesOutputThatIsNoVersion() {
        assertThatThrownBy(() -> ToolVersion.parseToolOutput("command not found"))
                .hasMessageContaining("command not found");
    }

    @Test
    void serverVersionNumbersOfBothNumberingSchemes() {
        assertThat(ToolVersion.fromServerVersionNum(150008)).isEqualTo(new ToolVersion(15, 8));
        assertThat(ToolVersion.fromServerVersionNum(90624)).isEqualTo(new ToolVersion(9, 6));
    }

    @Test
    void pgDumpDumpsItsOwnAndOlderMajorsButNotNewer() {
        ToolVersion pgDump15 = new ToolVersion(15, 2);

        assertThat(pgDump15.canDump(new ToolVersion(15, 9))).isTrue();
        assertThat(pgDump15.canDump(new ToolVersion(12, 1))).isTrue();
        assertThat(pgDump15.canDump(new ToolVersion(9, 6))).isTrue();
        assertThat(pgDump15.canDump(new ToolVersion(16, 0))).isFalse();
        assertThat(new ToolVersion(9, 5).canDump(new ToolVersion(9, 6))).isFalse();
    }

    @Test
    void serverVersionSettingsParseAndCompareByMajor() {
        ToolVersion debian = ToolVersion.parseServerVersion("15.8 (Debian 15.8-1.pgdg120+1)").orElseThrow();
        assertThat(debian).isEqualTo(new ToolVersion(15, 8));
        assertThat(debian.sameMajor(ToolVersion.parseServerVersion("PostgreSQL 15.2").orElseThrow())).isTrue();
        assertThat(debian.sameMajor(new ToolVersion(16, 8))).isFalse();
        assertThat(ToolVersion.parseServerVersion("9.6.24").orElseThrow().sameMajor(new ToolVersion(9, 5))).isFalse();
        assertThat(ToolVersion.parseServerVersion("17beta1")).contains(new ToolVersion(17, 0));
        assertThat(ToolVersion.parseServerVersion("unknown")).isEmpty();
        assertThat(ToolVersion.parseServerVersion(null)).isEmpty();
    }
}
