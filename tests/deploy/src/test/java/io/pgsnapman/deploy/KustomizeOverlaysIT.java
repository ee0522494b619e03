package io.pgsnapman.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.topicadmin.ServiceTopics;
import io.pgsnapman.topicadmin.StrimziResources;
import io.pgsnapman.topicadmin.TopicSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Both overlays of {@code deploy/k8s} as {@code kubectl kustomize} renders them: every object parses strictly against
 * its model ({@link StrictModels}); the KafkaTopics are the topic table and each KafkaUser has the ACLs its service
 * declares; every setting a Deployment passes exists in that service ({@link ServiceSettings}); every container runs
 * locked down and is probed; production runs three controllers and three brokers on different nodes.
 */
class KustomizeOverlaysIT {

    /** The overlays and what differs between them. */
    enum Overlay {
        DEV("dev", 1), PROD("prod", 3);

        final String dir;
        final int topicReplicas;

        Overlay(String dir, int topicReplicas) {
            this.dir = dir;
            this.topicReplicas = topicReplicas;
        }
    }

    private static final Map<Overlay, List<Map<String, Object>>> RENDERED = new EnumMap<>(Overlay.class);

    /** The overlay's objects as {@code kubectl kustomize} renders them (once per overlay). */
    static synchronized List<Map<String, Object>> render(Overlay overlay) throws Exception {
        if (!RENDERED.containsKey(overlay)) {
            Path dir = Rendered.DEPLOY.resolve("k8s/overlays").resolve(overlay.dir);
            Process kubectl;
            try {
                kubectl = new ProcessBuilder(List.of("kubectl", "kustomize", dir.toString())).redirectErrorStream(false).start();
            } catch (IOException e) {
                throw new AssertionError("kubectl is needed to render deploy/k8s (Debian: apt-get install kubectl)", e);
            }
            byte[] out = kubectl.getInputStream().readAllBytes();
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kubectl.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(kubectl.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
            String yaml = new String(out, StandardCharsets.UTF_8);
            Path copy = Path.of("target", "rendered", "overlay-" + overlay.dir + ".yaml");
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, yaml);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> objects = StreamSupport.stream(new Yaml().loadAll(yaml).spliterator(), false)
                    .map(o -> (Map<String, Object>) o).toList();
            RENDERED.put(overlay, objects);
        }
        return RENDERED.get(overlay);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyRenderedObjectParsesStrictlyAgainstItsModel(Overlay overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);

        List<String> problems = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        for (Map<String, Object> object : objects) {
            String id = Manifests.kind(object) + "/" + Manifests.name(object);
            kinds.merge(Manifests.kind(object), 1, Integer::sum);
            problems.addAll(StrictModels.check(object).stream().map(p -> id + ": " + p).toList());
        }
        Files.writeString(Path.of("target", "rendered", "overlay-" + overlay.dir + "-objects.txt"),
                objects.stream().map(o -> Manifests.kind(o) + " " + Manifests.name(o)).collect(Collectors.joining("\n")) + "\n");

        assertThat(problems).isEmpty();
        assertThat(kinds).containsKeys("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "Database",
                "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "PersistentVolumeClaim", "ConfigMap",
                "ServiceMonitor", "PrometheusRule");
        assertThat(objects).allSatisfy(o -> assertThat(Manifests.namespace(o)).as(Manifests.name(o))
                .isEqualTo(overlay == Overlay.DEV ? "pgsnapman-dev" : "pgsnapman"));
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theKafkaTopicsAreTheTopicTableAndEachUserHasTheAclsItsServiceDeclares(Overlay overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        TopicSettings settings = new TopicSettings(3, (short) overlay.topicReplicas, Duration.ofSeconds(30));

        Map<String, Object> expectedTopics = specs(StrimziResources.kafkaTopics(Topics.ALL, KafkaManifestsTest.CLUSTER, settings));
        Map<String, Object> expectedUsers = specs(KafkaManifestsTest.SERVICES.stream()
                .map(s -> StrimziResources.kafkaUser(s, KafkaManifestsTest.CLUSTER)).toList());

        assertThat(specs(Manifests.ofKind(objects, "KafkaTopic"))).isEqualTo(expectedTopics);
        assertThat(specs(Manifests.ofKind(objects, "KafkaUser"))).isEqualTo(expectedUsers)
                .containsOnlyKeys(KafkaManifestsTest.SERVICES.stream().map(ServiceTopics::service).toList());
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everySettingADeploymentPassesExistsInThatService(Overlay overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);

        List<String> unknown = new ArrayList<>();
        for (Map<String, Object> deployment : Manifests.ofKind(objects, "Deployment")) {
            String service = Manifests.name(deployment);
            if (service.equals("pgsnapman-registry")) {
                continue;
            }
            ServiceSettings known = ServiceSettings.of(service);
            Manifests.environment(deployment, objects).forEach((name, value) -> {
                if (!known.accepts(name)) {
                    unknown.add(service + ": " + name);
                }
                known.missingSecretFile(value, Manifests.mountPaths(deployment)).ifPresent(m -> unknown.add(service + ": " + m));
            });
        }

        assertThat(unknown).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyContainerRunsLockedDownProbedAndBoundedWithADisruptionBudget(Overlay overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        List<String> budgets = Manifests.ofKind(objects, "PodDisruptionBudget").stream().map(Manifests::name).toList();

        for (Map<String, Object> deployment : Manifests.ofKind(objects, "Deployment")) {
            String name = Manifests.name(deployment);
            Map<String, Object> pod = Manifests.map(deployment, "spec", "template", "spec");
            assertThat(Manifests.map(pod, "securityContext")).as(name).containsEntry("runAsNonRoot", true);
            assertThat(pod).as(name).containsEntry("automountServiceAccountToken", false);
            for (Map<String, Object> container : Manifests.list(pod, "containers")) {
                Map<String, Object> security = Manifests.map(container, "securityContext");
                assertThat(security).as(name).containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false);
                assertThat(Manifests.map(security, "capabilities")).as(name).containsEntry("drop", List.of("ALL"));
                assertThat(container).as(name).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
                assertThat(Manifests.map(container, "resources", "requests")).as(name).containsKeys("cpu", "memory");
                assertThat(Manifests.map(container, "resources", "limits")).as(name).containsKey("memory");
            }
            if (!name.equals("pgsnapman-registry")) {
                assertThat(budgets).as("a PodDisruptionBudget for " + name).contains(name);
            }
        }
        if (overlay == Overlay.PROD) {
            List<Map<String, Object>> pools = Manifests.ofKind(objects, "KafkaNodePool");
            assertThat(pools).extracting(p -> Manifests.map(p, "spec").get("roles"))
                    .containsExactlyInAnyOrder(List.of("controller"), List.of("broker"));
            assertThat(pools).allSatisfy(p -> {
                assertThat(Manifests.map(p, "spec").get("replicas")).isEqualTo(3);
                assertThat(Manifests.map(p, "spec", "template", "pod", "affinity", "podAntiAffinity"))
                        .containsKey("requiredDuringSchedulingIgnoredDuringExecution");
            });
            assertThat(Manifests.map(Manifests.ofKind(objects, "Kafka").get(0), "spec", "kafka", "config"))
                    .containsEntry("min.insync.replicas", 2);
        }
    }

    /** name → spec of each resource, for comparing what was rendered with what the code renders. */
    private static Map<String, Object> specs(List<Map<String, Object>> resources) {
        Map<String, Object> specs = new TreeMap<>();
        resources.forEach(r -> specs.put(Manifests.name(r), r.get("spec")));
        return specs;
    }
}
