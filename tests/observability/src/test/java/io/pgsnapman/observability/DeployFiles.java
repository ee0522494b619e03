package io.pgsnapman.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The observability files under {@code deploy/}: the Prometheus alert rules, their unit tests, the Grafana dashboards. */
final class DeployFiles {

    /** A PromQL expression and where it is written. */
    record Query(String where, String expr) {}

    static final Path DEPLOY = Path.of(System.getProperty("pgsnapman.deploy.dir", "../../deploy"));
    static final Path RULES = DEPLOY.resolve("prometheus/pgsnapman-alerts.yml");
    static final Path RULE_TESTS = DEPLOY.resolve("prometheus/pgsnapman-alerts.test.yml");
    static final Path DASHBOARDS = DEPLOY.resolve("grafana");

    private DeployFiles() {}

    /** Every alerting rule, as parsed from the rule file. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        Map<String, Object> file = yaml(RULES);
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ruleTests() {
        return (List<Map<String, Object>>) yaml(RULE_TESTS).get("tests");
    }

    static List<JsonNode> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            ObjectMapper json = new ObjectMapper();
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return json.readTree(Files.readString(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every query of the alert rules and of the dashboards' panels and variables. */
    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> rule : alertRules()) {
            queries.add(new Query("alert " + rule.get("alert"), String.valueOf(rule.get("expr"))));
        }
        for (JsonNode dashboard : dashboards()) {
            String title = dashboard.get("title").asString();
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    queries.add(new Query(title + " / " + panel.get("title").asString(), target.get("expr").asString()));
                }
            }
            for (JsonNode variable : dashboard.get("templating").get("list")) {
                if ("query".equals(variable.get("type").asString())) {
                    queries.add(new Query(title + " / variable " + variable.get("name").asString(),
                            variable.get("definition").asString()));
                }
            }
        }
        return queries;
    }

    private static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
