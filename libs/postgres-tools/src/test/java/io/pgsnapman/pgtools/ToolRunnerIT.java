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
        ToolResult result = runner.pipe(List.of("sleep", "30"), List.of("cat"), Map.of(), Duration.ofMillis(300));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(20));
    }
}
