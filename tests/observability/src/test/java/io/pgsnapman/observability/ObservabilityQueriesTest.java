package io.pgsnapman.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.metrics.Metric;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules and dashboards hold to the {@link Metric} catalogue, which an end-to-end test scrapes from the
 * running services: every query names only series the services expose, with labels those series have.
 */
class ObservabilityQueriesTest {

    /** Labels Prometheus adds to every scraped series, and a histogram bucket's bound. */
    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job", "le");
    private static final Pattern METRIC = Pattern.compile("\\bpgsnapman_[a-z0-9_]+");
    private static final Pattern SELECTOR = Pattern.compile("\\b(pgsnapman_[a-z0-9_]+)\\{([^}]*)}");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|on|without|group_left|ignoring)\\s*\\(([^)]*)\\)");

    private static final Map<String, Metric> BY_SERIES = new HashMap<>();

    static {
        for (Metric metric : Metric.values()) {
            metric.seriesNames().forEach(series -> BY_SERIES.put(series, metric));
        }
    }

    @Test
    void everyQueryNamesOnlySeriesTheServicesExpose() {
        List<DeployFiles.Query> queries = DeployFiles.queries();

        assertThat(queries).hasSizeGreaterThan(40);
        for (DeployFiles.Query query : queries) {
            Set<String> named = names(query.expr());
            assertThat(named).as(query.where() + " names a PgSnapMan metric: " + query.expr()).isNotEmpty();
            assertThat(BY_SERIES.keySet()).as(query.where() + ": " + query.expr()).containsAll(named);
        }
    }

    @Test
    void everyLabelAQueryMatchesOrGroupsByIsALabelOfTheSeriesItQueries() {
        for (DeployFiles.Query query : DeployFiles.queries()) {
            Set<String> known = new HashSet<>(SCRAPE_LABELS);
            names(query.expr()).forEach(series -> known.addAll(BY_SERIES.get(series).labelKeys()));
            Matcher selectors = SELECTOR.matcher(query.expr());
            while (selectors.find()) {
                Metric metric = BY_SERIES.get(selectors.group(1));
                for (String matcher : selectors.group(2).split(",")) {
                    String label = matcher.split("[=!~]")[0].trim();
                    assertThat(label).as(query.where() + ": " + selectors.group()).isIn(union(metric.labelKeys(), SCRAPE_LABELS));
                }
            }
            Matcher groupings = GROUPING.matcher(query.expr());
            while (groupings.find()) {
                for (String label : groupings.group(1).split(",")) {
                    if (!label.isBlank()) {
                        assertThat(label.trim()).as(query.where() + ": " + groupings.group()).isIn(known);
                    }
                }
            }
        }
    }

    @Test
    void everyAlertSaysHowSevereItIsAndWhatHappened() {
        for (Map<String, Object> rule : DeployFiles.alertRules()) {
            assertThat(rule).as("rule %s", rule.get("alert")).containsKeys("alert", "expr", "labels", "annotations");
            assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).as("severity of %s", rule.get("alert"))
                    .isIn("critical", "warning", "info");
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(annotations.keySet()).as("annotations of %s", rule.get("alert")).contains("summary", "description");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAUnitTestInWhichItFires() {
        Set<String> alerts = DeployFiles.alertRules().stream().map(r -> (String) r.get("alert")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> fired = new TreeSet<>();
        for (Map<String, Object> test : DeployFiles.ruleTests()) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                if (expected != null && !expected.isEmpty()) {
                    fired.add((String) check.get("alertname"));
                }
            }
        }

        assertThat(alerts).contains("PgSnapManBackupMissing", "PgSnapManDumpFailed", "PgSnapManVerificationFailed",
                "PgSnapManRestoreFailed", "PgSnapManDeadLettersGrowing", "PgSnapManConsumerLag", "PgSnapManOutboxStuck");
        assertThat(fired).isEqualTo(alerts);
    }

    @Test
    void theFourDashboardsHaveUniqueIdsAndEveryPanelAQuery() {
        List<JsonNode> dashboards = DeployFiles.dashboards();

        assertThat(dashboards).extracting(d -> d.get("uid").asString())
                .containsExactlyInAnyOrder("pgsnapman-fleet", "pgsnapman-job", "pgsnapman-workers", "pgsnapman-kafka");
        for (JsonNode dashboard : dashboards) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                assertThat(ids.add(panel.get("id").asInt())).as("panel ids of %s unique", dashboard.get("uid")).isTrue();
                assertThat(panel.get("targets").size()).as(panel.get("title").asString()).isPositive();
                assertThat(panel.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void theOperationsGuideListsEveryMetricAndEveryAlert() throws Exception {
        String guide = java.nio.file.Files.readString(DeployFiles.DEPLOY.getParent().resolve("docs/operations.md"));

        for (Metric metric : Metric.values()) {
            assertThat(guide).as(metric.name()).contains("`" + metric.prometheusName() + "`");
        }
        for (Map<String, Object> rule : DeployFiles.alertRules()) {
            assertThat(guide).contains("`" + rule.get("alert") + "`");
        }
    }

    private static Set<String> names(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static Set<String> union(List<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
