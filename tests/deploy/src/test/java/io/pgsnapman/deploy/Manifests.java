package io.pgsnapman.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading rendered Kubernetes objects (as snakeyaml maps): names, kinds, nested fields, a container's environment. */
final class Manifests {

    private Manifests() {}

    static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    static String namespace(Map<String, Object> object) {
        return (String) map(object, "metadata").get("namespace");
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o))).toList();
    }

    /** The map at that path; empty when any step is missing. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> object, String... path) {
        Map<String, Object> at = object;
        for (String step : path) {
            Object next = at.get(step);
            if (!(next instanceof Map<?, ?>)) {
                return Map.of();
            }
            at = (Map<String, Object>) next;
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> object, String key) {
        Object value = object.get(key);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /**
     * Every environment variable the Deployment's containers get: from {@code env} (value, or the reference it is
     * taken from) and from the ConfigMaps of {@code envFrom}, found among the rendered objects.
     */
    static Map<String, String> environment(Map<String, Object> deployment, List<Map<String, Object>> objects) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> container : list(map(deployment, "spec", "template", "spec"), "containers")) {
            for (Map<String, Object> from : list(container, "envFrom")) {
                String configMap = (String) map(from, "configMapRef").get("name");
                Map<String, Object> found = ofKind(objects, "ConfigMap").stream().filter(c -> name(c).equals(configMap))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap + " for " + name(deployment)));
                map(found, "data").forEach((key, value) -> environment.put(key, String.valueOf(value)));
            }
            for (Map<String, Object> variable : list(container, "env")) {
                environment.put((String) variable.get("name"), String.valueOf(variable.getOrDefault("value", "")));
            }
        }
        return environment;
    }

    /** Where the Deployment's containers have volumes mounted. */
    static List<String> mountPaths(Map<String, Object> deployment) {
        return list(map(deployment, "spec", "template", "spec"), "containers").stream()
                .flatMap(c -> list(c, "volumeMounts").stream()).map(m -> (String) m.get("mountPath")).toList();
    }
}
