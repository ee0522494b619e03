package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.registry.client.RegistryUnreachableException;
import io.pgsnapman.registry.client.SchemaRegistryException;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serializers reaching the registry as a secured deployment exposes it: over TLS (a certificate the JVM does not
 * trust by default, trusted through {@code schema.registry.ssl.truststore.*}) and with HTTP basic auth
 * ({@code schema.registry.basic.auth.user.info}). The real registry sits behind an HTTPS front that demands the
 * credentials, as an ingress or a gateway would.
 */
@WithSchemaRegistry
class SecuredRegistryIT {

    private static final String USER_INFO = "pgsnapman:registry-secret";

    private final SchemaRegistryServer registry;
    private HttpsServer front;
    private Path trustStore;
    private String storePassword;
    private String securedUrl;

    SecuredRegistryIT(SchemaRegistryServer registry) {
        this.registry = registry;
    }

    @BeforeEach
    void putAnHttpsFrontWithBasicAuthBeforeTheRegistry(@TempDir Path dir) throws Exception {
        storePassword = "store-" + System.nanoTime();
        Path passwordFile = Files.writeString(dir.resolve("password"), storePassword);
        Path keyStore = dir.resolve("registry.p12");
        trustStore = dir.resolve("truststore.p12");
        keytool(dir, "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass:file", passwordFile.toString(), "-keypass:file", passwordFile.toString());
        keytool(dir, "-exportcert", "-rfc", "-alias", "registry", "-keystore", keyStore.toString(),
                "-storepass:file", passwordFile.toString(), "-file", dir.resolve("registry.crt").toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "registry", "-file", dir.resolve("registry.crt").toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass:file", passwordFile.toString());

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, storePassword.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, storePassword.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        URI target = URI.create(registry.url());
        HttpClient http = HttpClient.newHttpClient();
        front = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.setHttpsConfigurator(new HttpsConfigurator(tls));
        front.createContext("/", exchange -> forward(exchange, http, target));
        front.start();
        securedUrl = "https://127.0.0.1:" + front.getAddress().getPort() + target.getPath();
    }

    @AfterEach
    void stopTheFront() {
        front.stop(0);
    }

    @Test
    void anEventRoundTripsThroughTheRegistryOverTlsWithBasicAuth() {
        // Given serializers configured for the secured registry, as a service's spring.kafka.properties would
        Map<String, Object> props = secured(USER_INFO, true);
        AvroSerializer<DumpCompleted> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        AvroDeserializer<DumpCompleted> deserializer = new AvroDeserializer<>();
        Map<String, Object> reading = new HashMap<>(props);
        reading.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        deserializer.configure(reading, false);
        DumpCompleted event = SampleEvents.of(DumpCompleted.class);

        // When an event is written (its schema registered) and read back (its schema fetched by id)
        byte[] bytes = serializer.serialize("pgsnapman.test.secured", event);
        DumpCompleted read = deserializer.deserialize("pgsnapman.test.secured", bytes);

        // Then it is the same event
        assertThat(read).isEqualTo(event);
    }

    @Test
    void aWrongPasswordIsRefusedAndAnUntrustedCertificateIsNotTalkedTo() {
        // When the password is wrong, Then the registry's refusal comes back as a 401
        AvroSerializer<DumpCompleted> wrong = new AvroSerializer<>();
        wrong.configure(secured("pgsnapman:guessed", true), false);
        assertThatThrownBy(() -> wrong.serialize("pgsnapman.test.refused", SampleEvents.of(DumpCompleted.class)))
                .hasRootCauseInstanceOf(SchemaRegistryException.class)
                .rootCause().satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(401));

        // When the client does not trust the front's certificate, Then no request gets through
        AvroSerializer<DumpCompleted> untrusting = new AvroSerializer<>();
        untrusting.configure(secured(USER_INFO, false), false);
        assertThatThrownBy(() -> untrusting.serialize("pgsnapman.test.untrusted", SampleEvents.of(DumpCompleted.class)))
                .hasCauseInstanceOf(RegistryUnreachableException.class).hasMessageContaining("SSLHandshakeException");
    }

    private Map<String, Object> secured(String userInfo, boolean trusted) {
        Map<String, Object> props = new HashMap<>();
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, securedUrl);
        props.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        if (trusted) {
            props.put(AvroSerdeConfig.TRUSTSTORE_LOCATION, trustStore.toString());
            props.put(AvroSerdeConfig.TRUSTSTORE_PASSWORD_KEY, storePassword);
            props.put(AvroSerdeConfig.TRUSTSTORE_TYPE, "PKCS12");
        }
        return props;
    }

    /** The front: 401 without the right basic credentials, otherwise the registry's own answer. */
    private static void forward(HttpExchange exchange, HttpClient http, URI target) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + target.getHost() + ":" + target.getPort()
                            + exchange.getRequestURI())).timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Content-Type", "Accept")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void keytool(Path dir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process keytool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
    }
}
