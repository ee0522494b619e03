package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolRunnerIT {

    private final ToolRunner runner = new ToolRunner();

    @Test
    void pipeFeedsTheFirstToolsOutputToTheSecond() {
        ToolResult result = runner.pipe(List.of("printf", "a\\nb\\nc\\n"), List.of("wc", "-l"), Map.of(), Duration.ofSeconds(30));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout().strip()).isEqualTo("3");
    }

    @Test
    void pipeReportsTheFirstFailingToolWithItsStderr() {
        ToolResult result = runner.pipe(List.of("ls", "/no/such/dir"), List.of("cat"), Map.of(), Duration.ofSeconds(30));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ls").contains("/no/such/dir");
    }

    @Test
    void pipeKillsBothToolsOnTimeOut() {
        // Given two tools that would each run for half a minute, whatever their input (unique arguments find them)
        String first = "30." + System.nanoTime() % 1000;
        String second = "31." + System.nanoTime() % 1000;

        // When the pipe times out
        ToolResult result = runner.pipe(List.of("sleep", first), List.of("sleep", second), Map.of(), Duration.ofMillis(300));

        // Then it says so at once, and neither tool is left running
        assertThat(result.timedOut()).isTrue();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(20));
        assertThat(running("sleep " + first)).isZero();
        assertThat(running("sleep " + second)).isZero();
    }

    private static long running(String commandLine) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(commandLine::equals).orElse(false)).count();
    }
}
