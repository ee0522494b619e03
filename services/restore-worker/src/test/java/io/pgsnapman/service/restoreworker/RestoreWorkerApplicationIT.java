package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.ServiceEndpoints;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restore-worker skeleton (its logic is the restore issue's): it starts and answers its probes. */
class RestoreWorkerApplicationIT {

    @Test
    void startsAndAnswersKubernetesProbesAndPrometheus() {
        // Given the application started from its own restore-worker.yml on a random port
        try (ServiceApps.Running app = ServiceApps.start(RestoreWorkerApplication.class, Map.of())) {
            // When its probes and metrics are called
            // Then both probes are UP and metrics are served
            assertThat(ServiceEndpoints.probeProblems(app.port())).isEmpty();
        }
    }
}
