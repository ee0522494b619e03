package io.pgsnapman.localstack;

import io.pgsnapman.localstack.StackLayout.Service;
import io.pgsnapman.pgtools.TableFingerprints;
import io.pgsnapman.schemas.Topics;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The main job on a running local stack, as an operator would do it over the REST APIs: a sample database
 * with real content, a server, a dump job and a restore job copying each dump to a second database; then a
 * dump now, the fan-out to the copy, the catalog, and source and copy compared table by table (rows and a
 * checksum of the content). Answers whether the copy is identical.
 */
final class Demo {

    private static final List<String> TABLES = List.of("customers", "products", "orders", "order_lines");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LocalStack stack;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;

    Demo(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
        this.token = stack.adminToken();
    }

    boolean run(int orders) throws Exception {
        out.printf("demo 1/5: sample database 'shop' with %d orders%n", orders);
        createSample(orders);

        out.println("demo 2/5: server, dump job and restore job through the config API");
        StackLayout l = stack.layout();
        String serverId = post(Service.CONFIG, "/api/v1/servers", Map.of("name", "local", "host", l.postgresHost(),
                "port", l.postgresPort(), "username", l.postgresUser(), "credentialRef", "local", "sslMode", "DISABLE",
                "allowRestores", true)).get("id").asString();
        String jobId = post(Service.CONFIG, "/api/v1/dump-jobs", Map.of("name", "shop-nightly", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "shop", "cron", "0 2 * * *", "parallelJobs", 2)).get("id").asString();
        double restoreJobsKnown = restoreJobsTheSchedulerKnows();
        String restoreJobId = post(Service.CONFIG, "/api/v1/restore-jobs", Map.of("name", "shop-to-copy",
                "sourceDumpJobId", jobId, "targetServerId", serverId, "targetDatabaseName", "shop_copy", "trigger", "ON_DUMP",
                "options", Map.of("existingDatabase", "DROP", "parallelJobs", 2))).get("id").asString();
        out.printf("          server %s, dump job %s (nightly 02:00), restore job %s -> shop_copy%n", serverId, jobId,
                restoreJobId);
        // the fan-out needs the scheduler to know the restore job before the dump completes
        await("the restore job in the scheduler", () -> {
            if (restoreJobsTheSchedulerKnows() <= restoreJobsKnown) {
                throw new NotFound("restore job " + restoreJobId + " in the scheduler");
            }
            return null;
        });

        out.println("demo 3/5: dump now");
        long t0 = System.nanoTime();
        String dumpId = post(Service.CONFIG, "/api/v1/dump-jobs/" + jobId + "/dump-now", null).get("dumpId").asString();
        JsonNode dump = await("dump " + dumpId, () -> get(Service.CATALOG, "/api/v1/dumps/" + dumpId));
        out.printf("          %s %s in %.1f s, %d bytes, verification %s%n", dumpId, dump.get("outcome").asString(),
                (System.nanoTime() - t0) / 1e9, dump.get("sizeBytes").asLong(), dump.get("verification").asString());
        if (!"SUCCEEDED".equals(dump.get("outcome").asString())) {
            out.println("          the dump FAILED: " + dump.get("failure"));
            return false;
        }

        out.println("demo 4/5: fan-out to shop_copy");
        String requestId = restoreJobId + "/" + dumpId;
        JsonNode restore = await("restore " + requestId, () -> get(Service.CATALOG, "/api/v1/restores/" + requestId));
        out.printf("          restore %s %s, row counts match: %s%n", requestId, restore.get("outcome").asString(),
                restore.path("rowCountsMatch").asString("n/a"));

        out.println("demo 5/5: the catalog, and source and copy compared");
        JsonNode dumps = get(Service.CATALOG, "/api/v1/dumps?size=10");
        out.printf("          %-48s %-10s %-12s %s%n", "DUMP", "OUTCOME", "BYTES", "IN USE BY");
        for (JsonNode d : dumps.get("items")) {
            out.printf("          %-48s %-10s %-12d %s%n", d.get("dumpId").asString(), d.get("outcome").asString(),
                    d.get("sizeBytes").asLong(), d.get("inUseBy"));
        }
        Map<String, String> source = fingerprints("shop");
        Map<String, String> copy = fingerprints("shop_copy");
        out.printf("          %-12s %-46s %s%n", "TABLE", "SOURCE (rows md5)", "COPY");
        for (String table : TABLES) {
            out.printf("          %-12s %-46s %s %s%n", table, source.get(table), copy.get(table),
                    source.get(table).equals(copy.get(table)) ? "same" : "DIFFERENT");
        }
        boolean same = source.equals(copy) && "SUCCEEDED".equals(restore.get("outcome").asString());
        out.println(same ? "demo: the copy is identical to the source" : "demo: the copy DIFFERS from the source");
        return same;
    }

    private void createSample(int orders) throws SQLException {
        try (Connection c = stack.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS shop WITH (FORCE)");
            st.execute("DROP DATABASE IF EXISTS shop_copy WITH (FORCE)");
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = stack.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text UNIQUE, since date)");
            st.execute("CREATE TABLE products (sku text PRIMARY KEY, title text, price numeric(10,2))");
            st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, placed timestamptz)");
            st.execute("CREATE TABLE order_lines (order_id bigint REFERENCES orders, line int, sku text REFERENCES products,"
                    + " qty int, PRIMARY KEY (order_id, line))");
            int customers = Math.max(100, orders / 10);
            st.execute("INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com',"
                    + " date '2020-01-01' + g % 2000 FROM generate_series(1, " + customers + ") g");
            st.execute("INSERT INTO products SELECT 'SKU-' || g, 'product ' || g, 1 + (g % 500) * 0.5"
                    + " FROM generate_series(1, 1000) g");
            st.execute("INSERT INTO orders SELECT g, 1 + g % " + customers + ", timestamptz '2026-01-01' + g * interval '1 minute'"
                    + " FROM generate_series(1, " + orders + ") g");
            st.execute("INSERT INTO order_lines SELECT o, l, 'SKU-' || (1 + (o * l) % 1000), 1 + l"
                    + " FROM generate_series(1, " + orders + ") o, generate_series(1, 3) l");
        }
    }

    private Map<String, String> fingerprints(String database) throws SQLException {
        try (Connection c = stack.connect(database)) {
            return TableFingerprints.of(c, TABLES);
        }
    }

    @FunctionalInterface
    private interface Lookup {
        JsonNode get() throws Exception;
    }

    private JsonNode await(String what, Lookup lookup) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return lookup.get();
            } catch (NotFound e) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException(what + " did not show within 5 minutes; see " + stack.layout().logs());
    }

    private static final class NotFound extends Exception {
        NotFound(String message) {
            super(message);
        }
    }

    private JsonNode post(Service service, String path, Object body) throws Exception {
        HttpRequest.Builder request = request(service, path).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    private JsonNode get(Service service, String path) throws Exception {
        HttpResponse<String> answer = http.send(request(service, path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 404) {
            throw new NotFound(path);
        }
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** The scheduler's gauge of the restore jobs it has read from their topic. */
    private double restoreJobsTheSchedulerKnows() throws Exception {
        String topic = "topic=\"" + Topics.CONFIG_RESTORE_JOBS.name() + "\"";
        HttpResponse<String> answer = http.send(request(Service.SCHEDULER, "/actuator/prometheus").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.body().lines().filter(line -> line.startsWith("pgsnapman_config_cache_entries{") && line.contains(topic))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    private HttpRequest.Builder request(Service service, String path) {
        return HttpRequest.newBuilder(URI.create(stack.layout().serviceUrl(service) + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    }
}
