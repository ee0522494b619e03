package io.pgsnapman.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST APIs as the CLI uses them: JSON in and out, the bearer token, errors as {@link CliException}. */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    Api(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    JsonNode get(String path) {
        return send("GET", path, null, Duration.ofSeconds(60));
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body, Duration.ofSeconds(60));
    }

    /** A POST whose answer may take long (work done while the caller waits). */
    JsonNode post(String path, Object body, Duration timeout) {
        return send("POST", path, body, timeout);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body, Duration.ofSeconds(60));
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Duration.ofSeconds(60));
    }

    private JsonNode send(String method, String path, Object body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach " + baseUrl + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is PgSnapMan running? (pgsnapman-local up)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
        int status = answer.statusCode();
        if (status >= 400) {
            throw CliException.fromAnswer(method + " " + path, status, answer.body());
        }
        return answer.body() == null || answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }
}
