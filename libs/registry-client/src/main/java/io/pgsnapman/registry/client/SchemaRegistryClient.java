package io.pgsnapman.registry.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client for the Confluent Schema Registry REST API, as served by Confluent Schema Registry, Apicurio
 * ({@code /apis/ccompat/v7}), Karapace and Redpanda. Thread-safe; share one per process.
 *
 * <p>Schemas by id are cached for ever (ids are immutable); (subject, schema) to id as well. Base URLs
 * are tried in order and the next one is used only when a URL does not answer at all; an HTTP error
 * answer is final. Errors are judged by HTTP status first, since registries disagree on
 * {@code error_code}. Only Avro schemas are handled; schema references are not supported.
 */
public class SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** Tries of a registration the registry answers with a server error or a concurrent-create conflict. */
    private static final int REGISTER_ATTEMPTS = 5;

    private final RegistryClientSettings settings;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Object> registering = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistryClientSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.trustStore().isPresent()) {
            builder.sslContext(sslContext(settings));
        }
        this.http = builder.build();
    }

    /** The settings this client was built with. */
    public RegistryClientSettings settings() {
        return settings;
    }

    /**
     * Registers the schema under the subject (or finds it registered already) and returns its id. Threads of
     * this client registering the same schema at once send one request. When another process registers it
     * at the same moment, some registries answer the loser with an error (Apicurio: 409 "already exists" or a
     * 500); then the schema is looked up and, if it is not there yet, the registration tried again (up to five
     * times, backing off); a 409 that is a real incompatibility is final at once.
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (registering.computeIfAbsent(key, k -> new Object())) {
            cached = idsBySubjectSchema.get(key);
            if (cached != null) {
                return cached;
            }
            Answer answer = null;
            for (int attempt = 1; attempt <= REGISTER_ATTEMPTS; attempt++) {
                answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
                if (answer.status() != 409 && answer.status() < 500) {
                    break;
                }
                Optional<Integer> registeredMeanwhile = lookupQuietly(subject, schema);
                if (registeredMeanwhile.isPresent()) {
                    return registeredMeanwhile.get();
                }
                if (answer.status() == 409 && !answer.message().contains("already exists")) {
                    break; // a real incompatibility
                }
                pause(attempt);
            }
            if (answer.status() == 409) {
                throw new IncompatibleSchemaException(subject, answer.url(), answer.message());
            }
            if (answer.status() == 422) {
                throw new SchemaRegistryException(
                        "Registry at " + answer.url() + " refused the schema for subject '" + subject + "' as invalid: "
                                + answer.message(), 422);
            }
            answer.requireSuccess("register a schema under subject '" + subject + "'");
            int id = answer.body().path("id").asInt(-1);
            remember(subject, schema, id);
            return id;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Integer> lookupQuietly(String subject, Schema schema) {
        try {
            return Optional.of(lookup(subject, schema));
        } catch (SchemaRegistryException e) {
            return Optional.empty();
        }
    }

    /** Id of the schema as already registered under the subject; never registers. */
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        Answer answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        if (answer.status() == 404) {
            throw SchemaNotFoundException.forSubject(subject, answer.url(), answer.message());
        }
        answer.requireSuccess("look up a schema under subject '" + subject + "'");
        int id = answer.body().path("id").asInt(-1);
        remember(subject, schema, id);
        return id;
    }

    /** The schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Answer answer = send("GET", "/schemas/ids/" + id, null);
        if (answer.status() == 404) {
            throw SchemaNotFoundException.forId(id, answer.url(), answer.message());
        }
        answer.requireSuccess("fetch schema id " + id);
        Schema schema = parse(answer.body().path("schema").asString(), "schema id " + id, answer.url());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** The newest version registered under the subject. */
    public RegisteredSchema latest(String subject) {
        Answer answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        if (answer.status() == 404) {
            throw new SubjectNotFoundException(subject, answer.url(), answer.message());
        }
        answer.requireSuccess("fetch the latest version of subject '" + subject + "'");
        JsonNode body = answer.body();
        int id = body.path("id").asInt(-1);
        Schema schema = parse(body.path("schema").asString(), "subject '" + subject + "'", answer.url());
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, id, body.path("version").asInt(-1), schema);
    }

    /** Whether the schema could be registered under the subject now, with the registry's reasons. */
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        Answer answer = send(
                "POST",
                "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(schema));
        if (answer.status() == 404) {
            throw new SubjectNotFoundException(subject, answer.url(), answer.message());
        }
        answer.requireSuccess("test compatibility with subject '" + subject + "'");
        JsonNode body = answer.body();
        List<String> messages = new ArrayList<>();
        body.path("messages").forEach(m -> messages.add(m.asString()));
        if (body.hasNonNull("reason")) {
            messages.add(body.get("reason").asString());
        }
        return new CompatibilityResult(body.path("is_compatible").asBoolean(false), messages);
    }

    /** Sets the registry-wide default compatibility level. */
    public void setCompatibility(CompatibilityLevel level) {
        putConfig("/config", level, "set the global compatibility level");
    }

    /** Sets the compatibility level of one subject. */
    public void setCompatibility(String subject, CompatibilityLevel level) {
        putConfig("/config/" + encode(subject), level, "set the compatibility level of subject '" + subject + "'");
    }

    private void putConfig(String path, CompatibilityLevel level, String what) {
        ObjectNode body = json.createObjectNode().put("compatibility", level.name());
        send("PUT", path, json.writeValueAsString(body)).requireSuccess(what);
    }

    private void remember(String subject, Schema schema, int id) {
        if (id < 0) {
            throw new SchemaRegistryException("Registry answered without a schema id for subject '" + subject + "'", 200);
        }
        idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, schema), id);
        schemasById.putIfAbsent(id, schema);
    }

    private String schemaBody(Schema schema) {
        return json.writeValueAsString(json.createObjectNode().put("schema", schema.toString()));
    }

    private Schema parse(String text, String what, String url) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    "Registry at " + url + " returned an unparseable Avro schema for " + what + ": " + e.getMessage(), 200, e);
        }
    }

    private Answer send(String method, String path, String body) {
        IOException lastFailure = null;
        List<String> tried = new ArrayList<>();
        for (URI base : settings.urls()) {
            String url = base + path;
            tried.add(base.toString());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(settings.requestTimeout())
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            settings.basicAuthUserInfo().ifPresent(userInfo -> request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(url, response.statusCode(), response.body());
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling the schema registry at " + url, 0, e);
            }
        }
        throw new RegistryUnreachableException(tried, lastFailure);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(RegistryClientSettings settings) {
        try (InputStream in = Files.newInputStream(settings.trustStore().orElseThrow())) {
            KeyStore store = KeyStore.getInstance(settings.trustStoreType());
            store.load(in, settings.trustStorePassword().map(String::toCharArray).orElse(null));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot load the schema registry trust store " + settings.trustStore().orElseThrow() + ": " + e.getMessage(), e);
        }
    }

    private record SubjectSchema(String subject, Schema schema) {}

    /** One HTTP answer, with its body parsed lazily. */
    private final class Answer {
        private final String url;
        private final int status;
        private final String rawBody;

        Answer(String url, int status, String rawBody) {
            this.url = url;
            this.status = status;
            this.rawBody = rawBody == null ? "" : rawBody;
        }

        String url() {
            return url;
        }

        int status() {
            return status;
        }

        JsonNode body() {
            try {
                return json.readTree(rawBody);
            } catch (JacksonException e) {
                throw new SchemaRegistryException(
                        "Registry at " + url + " answered " + status + " with a body that is not JSON: " + abbreviate(rawBody), status, e);
            }
        }

        /** The registry's {@code message}, or the raw body when it sent none. */
        String message() {
            try {
                JsonNode node = json.readTree(rawBody);
                if (node != null && node.hasNonNull("message")) {
                    return node.get("message").asString();
                }
            } catch (JacksonException e) {
                // not JSON: fall through to the raw body
            }
            return abbreviate(rawBody);
        }

        void requireSuccess(String what) {
            if (status >= 200 && status < 300) {
                return;
            }
            String reason = switch (status) {
                case 401 -> "authentication failed (check the basic auth user info)";
                case 403 -> "not authorized";
                default -> "HTTP " + status;
            };
            throw new SchemaRegistryException(
                    "Could not " + what + " at " + url + ": " + reason + ": " + message(), status);
        }

        private String abbreviate(String text) {
            return text.length() <= 500 ? text : text.substring(0, 500) + "...";
        }
    }
}
