package io.pgsnapman.service.catalog.notify;

import io.pgsnapman.service.catalog.settings.NotificationProperties;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * Webhooks: a POST of JSON, either every field of the notification (WEBHOOK) or Slack's incoming-webhook format
 * (SLACK: {@code {"text": …}}, which Teams and Mattermost accept too). Any answer but 2xx is a failed delivery.
 */
public final class HttpSender implements Sender {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    public HttpSender(ObjectMapper json, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public void send(NotificationProperties.Destination destination, Notification notification) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(destination.url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(destination.type(), notification))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode());
        }
    }

    /** The document posted. */
    String body(NotificationProperties.Type type, Notification n) {
        if (type == NotificationProperties.Type.SLACK) {
            return json.writeValueAsString(Map.of("text", "*PgSnapMan — " + n.title() + "*\n" + n.text()));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", n.kind().name());
        doc.put("title", n.title());
        doc.put("text", n.text());
        doc.put("occurredAt", n.occurredAt() == null ? null : n.occurredAt().toString());
        doc.put("serverId", n.serverId());
        doc.put("server", n.serverName());
        doc.put("dumpJobId", n.dumpJobId());
        doc.put("job", n.jobName());
        doc.put("subjectId", n.subjectId());
        return json.writeValueAsString(doc);
    }
}
