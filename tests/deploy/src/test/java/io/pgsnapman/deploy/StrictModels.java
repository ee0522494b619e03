package io.pgsnapman.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict parsing of a rendered object by its apiVersion and kind: core objects against the fabric8 Kubernetes model,
 * Strimzi's against {@code io.strimzi:api}, and — where no Java model is published (CloudNativePG, the Prometheus
 * Operator) — against records of the fields PgSnapMan uses, named as in those projects' API references. A field the
 * model does not know is a problem: the fabric8 and Strimzi models keep unknown fields aside
 * ({@code getAdditionalProperties}) rather than failing, so every nested model object is searched for them.
 */
final class StrictModels {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", CnpgCluster.class),
            Map.entry("postgresql.cnpg.io/v1/Database", CnpgDatabase.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private StrictModels() {}

    /** What is wrong with the object: no model for its kind, a field its model does not know, a value of the wrong type. */
    static List<String> check(Map<String, Object> object) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        Class<?> model = MODELS.get(type);
        if (model == null) {
            return List.of("no model for " + type);
        }
        Object parsed;
        try {
            parsed = MAPPER.convertValue(object, model);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        List<String> problems = new ArrayList<>();
        unknownFields(parsed, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems;
    }

    /** Every non-empty {@code additionalProperties} of a model object reachable from {@code value}. */
    private static void unknownFields(Object value, String path, List<String> problems, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object got;
            try {
                got = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (got instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add("unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "/" : path));
                }
                continue;
            }
            Class<?> type = getter.getReturnType();
            if (type.getPackageName().startsWith("io.fabric8") || type.getPackageName().startsWith("io.strimzi")
                    || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
                unknownFields(got, path + "." + getter.getName().substring(3), problems, seen);
            }
        }
    }

    // CloudNativePG (postgresql.cnpg.io/v1), the fields PgSnapMan sets

    record CnpgCluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {}

    record ClusterSpec(int instances, Bootstrap bootstrap, Storage storage, ResourceRequirements resources) {}

    record Bootstrap(InitDb initdb) {}

    record InitDb(String database, String owner) {}

    record Storage(String size, String storageClass) {}

    record CnpgDatabase(String apiVersion, String kind, ObjectMeta metadata, DatabaseSpec spec) {}

    record DatabaseSpec(String name, String owner, LocalObjectReference cluster) {}

    record LocalObjectReference(String name) {}

    // Prometheus Operator (monitoring.coreos.com/v1), the fields PgSnapMan sets

    record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {}

    record ServiceMonitorSpec(LabelSelector selector, List<Endpoint> endpoints) {}

    record Endpoint(String port, String path, String interval) {}

    record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, RuleSpec spec) {}

    record RuleSpec(List<RuleGroup> groups) {}

    record RuleGroup(String name, List<Rule> rules) {}

    record Rule(String alert, String record, String expr, @JsonProperty("for") String pending, Map<String, String> labels,
            Map<String, String> annotations) {}
}
