package io.pgsnapman.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of the endpoints every PgSnapMan service exposes for Kubernetes and Prometheus, over real HTTP
 * against a running service.
 */
public final class ServiceEndpoints {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceEndpoints() {}

    /**
     * The problems found with the service on {@code port}: liveness and readiness must answer 200 UP, and
     * {@code /actuator/prometheus} must serve metrics in the Prometheus text format. Empty when all is well.
     */
    public static List<String> probeProblems(int port) {
        List<String> problems = new ArrayList<>();
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> response = get(port, probe);
            if (response.statusCode() != 200 || !response.body().contains("\"UP\"")) {
                problems.add(probe + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        HttpResponse<String> metrics = get(port, "/actuator/prometheus");
        if (metrics.statusCode() != 200 || !metrics.body().contains("# TYPE jvm_memory_used_bytes gauge")) {
            problems.add("/actuator/prometheus answered " + metrics.statusCode() + " without JVM metrics");
        }
        return problems;
    }

    /** What the service on {@code port} serves at {@code /actuator/prometheus}. */
    public static String metrics(int port) {
        HttpResponse<String> metrics = get(port, "/actuator/prometheus");
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("/actuator/prometheus answered " + metrics.statusCode());
        }
        return metrics.body();
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " on port " + port + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
