package io.pgsnapman.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/k8s/base/monitoring/prometheus-rule.yaml} is the alert rules of {@code deploy/prometheus} (the file
 * promtool checks and tests) as a Prometheus Operator {@code PrometheusRule}: one source for both.
 */
class MonitoringManifestsTest {

    @Test
    @SuppressWarnings("unchecked")
    void thePrometheusRuleCarriesExactlyTheTestedAlertRules() throws Exception {
        Map<String, Object> rules;
        try (Reader reader = Files.newBufferedReader(Rendered.DEPLOY.resolve("prometheus/pgsnapman-alerts.yml"))) {
            rules = new Yaml().load(reader);
        }
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", "monitoring.coreos.com/v1");
        resource.put("kind", "PrometheusRule");
        resource.put("metadata", Map.of("name", "pgsnapman"));
        resource.put("spec", Map.of("groups", rules.get("groups")));

        String rendered = Rendered.yaml(MonitoringManifestsTest.class, List.of(resource));

        Rendered.assertMatchesCommitted("monitoring", "prometheus-rule.yaml", rendered);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                new Yaml().load(rendered)).get("spec")).get("groups");
        assertThat(groups).flatExtracting(g -> (List<Map<String, Object>>) g.get("rules")).extracting(r -> r.get("alert"))
                .hasSize(10).allSatisfy(alert -> assertThat((String) alert).startsWith("PgSnapMan"));
    }
}
