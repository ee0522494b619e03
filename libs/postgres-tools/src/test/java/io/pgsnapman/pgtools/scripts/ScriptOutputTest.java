package io.pgsnapman.pgtools.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.PgConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a script's names, output, progress lines and ending are read, without running one. */
class ScriptOutputTest {

    private static final PgConnection DB = new PgConnection("db1", 5432, "app", "shop", "disable", "s3cr:t");

    @Test
    void onlyPlainFileNamesAreScriptNames() {
        assertThat(ScriptNames.problem("export-tables.sh")).isEmpty();
        assertThat(ScriptNames.problem("_private.v2")).isEmpty();
        for (String bad : new String[] {"../etc/passwd", "/bin/sh", "sub/x.sh", ".hidden", "-rf", "a b", "x;rm -rf /",
                "$(id)", "", "x".repeat(129)}) {
            assertThat(ScriptNames.problem(bad)).as(bad).isPresent();
        }
        assertThat(ScriptNames.problem("a/b").orElseThrow()).contains("never a path");
    }

    @Test
    void theGivenPasswordAndPasswordLikeSettingsAndUrlSecretsAreRedacted() {
        String out = Redaction.redact("""
                connecting with s3cr:t
                PGPASSWORD=hunter2 password: 'two words' token=abc api_key=xyz
                postgresql://app:pa55@db1/shop and https://host/path?ok=1
                """, "s3cr:t");

        assertThat(out).doesNotContain("s3cr:t", "hunter2", "two words", "abc", "xyz", "pa55")
                .contains("connecting with [redacted]", "PGPASSWORD=[redacted]", "password: [redacted]",
                        "postgresql://app:[redacted]@db1/shop", "https://host/path?ok=1");
    }

    @Test
    void progressLinesGiveDoneTotalAndMessage() {
        assertThat(ScriptProgress.parse("PROGRESS 1/2 copied customers"))
                .contains(new ScriptProgress(1, 2L, "copied customers"));
        assertThat(ScriptProgress.parse("  PROGRESS 7  ")).contains(new ScriptProgress(7, null, ""));
        assertThat(ScriptProgress.parse("PROGRESS 3/4 " + "m".repeat(500)).orElseThrow().message())
                .hasSize(ScriptProgress.MAX_MESSAGE);
        assertThat(ScriptProgress.parse("progress 1/2")).as("the keyword is upper case").isEmpty();
        assertThat(ScriptProgress.parse("PROGRESS half")).isEmpty();
        assertThat(ScriptProgress.parse("COPY 5000")).isEmpty();
    }

    @Test
    void aJobScriptExitingNonZeroIsScriptFailedWithItsStderr() {
        ScriptRun run = ScriptRun.of("export.sh", ScriptPhase.DUMP, DB).build();

        Failure failure = ScriptCalls.failure(run, new ScriptResult(3, false, "out", "psql: error: no table"),
                Duration.ofMinutes(5)).orElseThrow();

        assertThat(failure.getCode()).isEqualTo("SCRIPT_FAILED");
        assertThat(failure.getReason()).isEqualTo("dump script 'export.sh' exited with 3");
        assertThat(failure.getExitCode()).isEqualTo(3);
        assertThat(failure.getStderrExcerpt()).isEqualTo("psql: error: no table");
        assertThat(failure.getField()).isEqualTo("scriptName");
    }

    @Test
    void aHookScriptFailingIsHookFailedAndOneTimedOutIsScriptTimeoutNamingItsField() {
        ScriptRun hook = ScriptRun.of("mask.sh", ScriptPhase.POST_RESTORE, DB).build();

        Failure failed = ScriptCalls.failure(hook, new ScriptResult(1, false, "only stdout", ""),
                Duration.ofMinutes(5)).orElseThrow();
        Failure timedOut = ScriptCalls.failure(hook, new ScriptResult(-1, true, "", ""),
                Duration.ofMinutes(5)).orElseThrow();

        assertThat(failed.getCode()).isEqualTo("HOOK_FAILED");
        assertThat(failed.getField()).isEqualTo("hooks.postRestoreScript");
        assertThat(failed.getStderrExcerpt()).as("stdout when stderr is empty").isEqualTo("only stdout");
        assertThat(timedOut.getCode()).isEqualTo("SCRIPT_TIMEOUT");
        assertThat(timedOut.getReason()).isEqualTo("post-restore hook script 'mask.sh' ran longer than PT5M and was killed");
        assertThat(ScriptCalls.failure(hook, new ScriptResult(0, false, "", ""), Duration.ZERO)).isEmpty();
    }

    @Test
    void aHookIsSqlOrAScriptNeverBoth() {
        assertThat(Hook.of(ScriptPhase.PRE_DUMP, "  ", null)).as("blank SQL is no hook").isEmpty();
        assertThat(Hook.of(ScriptPhase.PRE_DUMP, "ANALYZE", null).orElseThrow().sql()).isEqualTo("ANALYZE");
        assertThat(Hook.problem(ScriptPhase.POST_DUMP, "SELECT 1", "x.sh")).contains("a post-dump hook is SQL or a script, not both");
        assertThat(ScriptPhase.PRE_RESTORE.sqlField()).isEqualTo("hooks.preRestoreSql");
        assertThat(ScriptPhase.RESTORE.scriptField()).isEqualTo("scriptName");
    }

    @Test
    void thePassfileLineEscapesItsSeparators() {
        assertThat(ScriptRunner.passfileLine(DB)).isEqualTo("db1:5432:*:app:s3cr\\:t\n");
    }

    @Test
    void aScriptsOwnVariablesArePgsnapmanOnes() {
        ScriptRun.Builder run = ScriptRun.of("x", ScriptPhase.DUMP, DB);
        assertThatThrownBy(() -> run.variable("PGPASSWORD", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
