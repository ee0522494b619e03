package io.pgsnapman.service.dumpworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.testsupport.ServiceEndpoints;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DumpWorkerApplicationIT {

    @LocalServerPort
    int port;

    @Test
    void startsAndAnswersKubernetesProbesAndPrometheus() {
        // Given the application started on a random port
        // When its probes and metrics are called
        // Then both probes are UP and metrics are served
        assertThat(ServiceEndpoints.probeProblems(port)).isEmpty();
    }
}
