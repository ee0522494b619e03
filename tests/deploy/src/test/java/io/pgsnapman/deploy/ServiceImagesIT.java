package io.pgsnapman.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The images the build lays out (Jib, {@code target/jib-image.tar} of each service, an OCI layout on an empty base since
 * base images cannot be pulled everywhere): the configuration every image gets — non-root user, the service's port,
 * the entrypoint starting its application, layers apart — and that it matches what the production overlay's
 * Deployment expects of it (image name, user, port).
 */
class ServiceImagesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"config-service", "scheduler-service", "dump-worker", "restore-worker", "catalog-service"})
    void theImageRunsTheServiceAsNonRootOnThePortItsDeploymentExpects(String service) throws Exception {
        Map<String, byte[]> image = untar(Files.readAllBytes(
                Rendered.DEPLOY.getParent().resolve("services").resolve(service).resolve("target/jib-image.tar")));
        JsonNode manifest = blob(image, JSON.readTree(image.get("index.json")).path("manifests").get(0).path("digest").asString());
        JsonNode config = blob(image, manifest.path("config").path("digest").asString()).path("config");
        Map<String, Object> deployment = KustomizeOverlaysIT.render(KustomizeOverlaysIT.Overlay.PROD).stream()
                .filter(o -> "Deployment".equals(Manifests.kind(o)) && service.equals(Manifests.name(o))).findFirst()
                .orElseThrow();
        Map<String, Object> pod = Manifests.map(deployment, "spec", "template", "spec");
        Map<String, Object> container = Manifests.list(pod, "containers").get(0);

        // the user the Deployment runs it as, not root
        Map<String, Object> security = Manifests.map(pod, "securityContext");
        assertThat(config.path("User").asString()).isEqualTo(security.get("runAsUser") + ":" + security.get("runAsGroup"))
                .doesNotStartWith("0");
        // the port the Deployment names
        Object port = Manifests.list(container, "ports").get(0).get("containerPort");
        assertThat(names(config.path("ExposedPorts"))).containsExactly(port + "/tcp");
        // the service's application as the entrypoint
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asString()));
        assertThat(entrypoint).startsWith("java").last().asString().startsWith("io.pgsnapman.service.").endsWith("Application");
        String mainClass = "app/classes/" + entrypoint.get(entrypoint.size() - 1).replace('.', '/') + ".class";
        // in layers of their own: the dependencies apart from the classes, which change with every build
        List<List<String>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(new ArrayList<>(untar(gunzip(image.get(blobPath(layer.path("digest").asString())))).keySet()));
        }
        assertThat(layers).hasSizeGreaterThanOrEqualTo(3)
                .anySatisfy(files -> assertThat(files).contains(mainClass).noneMatch(f -> f.startsWith("app/libs/")))
                .anySatisfy(files -> assertThat(files).anyMatch(f -> f.startsWith("app/libs/spring-boot-")).doesNotContain(mainClass));
        // and the name and version the Deployment pulls
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        assertThat(container.get("image")).isEqualTo("ghcr.io/pgsnapman/" + labels.get("org.opencontainers.image.title") + ":"
                + labels.get("org.opencontainers.image.version"));
        assertThat(labels.get("org.opencontainers.image.title")).isEqualTo(service);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    private static JsonNode blob(Map<String, byte[]> image, String digest) {
        return JSON.readTree(image.get(blobPath(digest)));
    }

    private static String blobPath(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }

    /** A ustar archive's regular files by name (enough for Jib's layers and layout). */
    static Map<String, byte[]> untar(byte[] tar) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int at = 0;
        while (at + 512 <= tar.length && tar[at] != 0) {
            String name = field(tar, at, 100);
            String prefix = field(tar, at + 345, 155);
            String octal = field(tar, at + 124, 12).trim();
            long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
            char type = (char) tar[at + 156];
            int data = at + 512;
            if (type == '0' || type == 0) {
                String path = (prefix.isEmpty() ? "" : prefix + "/") + name;
                files.put(path.startsWith("./") ? path.substring(2) : path, Arrays.copyOfRange(tar, data, data + (int) size));
            }
            at = data + (int) ((size + 511) / 512 * 512);
        }
        return files;
    }

    private static String field(byte[] tar, int from, int length) {
        int end = from;
        while (end < from + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, from, end - from, StandardCharsets.US_ASCII);
    }
}
