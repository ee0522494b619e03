package io.pgsnapman.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules checked and unit-tested by Prometheus's own {@code promtool} (Debian package {@code prometheus},
 * which CI installs): the rule file is valid, every test in {@code pgsnapman-alerts.test.yml} passes, and the tests
 * catch a rule whose threshold is wrong.
 */
class AlertRulesIT {

    private record Run(int exitCode, String output) {}

    @Test
    void promtoolFindsTheRulesValid() throws Exception {
        Run check = promtool(DeployFiles.RULES.getParent(), "check", "rules", DeployFiles.RULES.getFileName().toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + DeployFiles.alertRules().size() + " rules found");
    }

    @Test
    void everyUnitTestOfTheRulesPasses() throws Exception {
        Run test = promtool(DeployFiles.RULES.getParent(), "test", "rules", DeployFiles.RULE_TESTS.getFileName().toString());

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void theUnitTestsCatchABackupMissingAlertThatWaitsTooLong(@TempDir Path dir) throws Exception {
        // Given the rules with the missing-backup threshold raised from 1.5 to 3 intervals
        String rules = Files.readString(DeployFiles.RULES);
        assertThat(rules).contains("> 1.5 * max by (dump_job, server) (pgsnapman_dump_job_interval_seconds)");
        Files.writeString(dir.resolve(DeployFiles.RULES.getFileName()), rules.replace("> 1.5 *", "> 3 *"));
        Files.copy(DeployFiles.RULE_TESTS, dir.resolve(DeployFiles.RULE_TESTS.getFileName()));

        // When the unit tests run against them
        Run test = promtool(dir, "test", "rules", DeployFiles.RULE_TESTS.getFileName().toString());

        // Then they fail, naming the alert
        assertThat(test.exitCode()).as(test.output()).isNotZero();
        assertThat(test.output()).contains("FAILED").contains("alertname: PgSnapManBackupMissing");
    }

    private static Run promtool(Path dir, String... args) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(promtool).as("promtool (Debian package prometheus) is installed").isExecutable();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool did not finish in 60 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
