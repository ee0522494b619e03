package io.pgsnapman.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The registry harness: a real process with BACKWARD compatibility, and nothing left once closed. */
class SchemaRegistryServerIT {

    @Test
    void registryRunsWithBackwardCompatibilityAndIsGoneAfterClose() throws Exception {
        // Given a registry started by the harness
        SchemaRegistryServer registry = SchemaRegistryServer.start();
        int port = registry.port();
        long pid = registry.pid();

        // When its global compatibility is read
        HttpResponse<String> config = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
        registry.close();

        // Then it was BACKWARD, and after close the process and the port are gone
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("BACKWARD");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(FreePorts.isListening(port)).isFalse();
    }
}
