package io.pgsnapman.service.catalog;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.store.NotificationStore;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.ServiceEndpoints;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** catalog-service against real PostgreSQL, Kafka and registry, and a repository directory. */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogServiceIT {

    static final String ADMIN = "catalog-admin-0123456789";
    static final String VIEWER = "catalog-viewer-0123456789";
    static final String OPERATOR = "catalog-operator-0123456789";

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final PostgresServer pg;
    private ServiceApps.Running app;
    private ApiClient viewer;
    private GreenMail smtp;
    private HttpServer hooks;
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private Path repository;

    CatalogServiceIT(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers) {
        this.broker = broker;
        this.registry = registry;
        this.pg = servers.get(0);
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE pgsnapman_catalog");
        }
        repository = dir;
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String path : List.of("/hook", "/slack", "/flaky")) {
            hooks.createContext(path, exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean fail = path.equals("/flaky") && flakyCalls.incrementAndGet() <= 2;
                if (!fail) {
                    received.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(body);
                }
                exchange.sendResponseHeaders(fail ? 500 : 204, -1);
                exchange.close();
            });
        }
        hooks.start();
        String hookBase = "http://127.0.0.1:" + hooks.getAddress().getPort();
        app = ServiceApps.start(CatalogServiceApplication.class, Map.ofEntries(
                Map.entry("pgsnapman.catalog.notifications.smtp.host", "127.0.0.1"),
                Map.entry("pgsnapman.catalog.notifications.smtp.port", Integer.toString(smtp.getSmtp().getPort())),
                Map.entry("pgsnapman.catalog.notifications.smtp.from", "pgsnapman@example.com"),
                Map.entry("pgsnapman.catalog.notifications.dispatch-every", "200ms"),
                Map.entry("pgsnapman.catalog.notifications.first-retry", "200ms"),
                Map.entry("pgsnapman.catalog.notifications.destinations[0].name", "ops-mail"),
                Map.entry("pgsnapman.catalog.notifications.destinations[0].type", "EMAIL"),
                Map.entry("pgsnapman.catalog.notifications.destinations[0].to[0]", "ops@example.com"),
                Map.entry("pgsnapman.catalog.notifications.destinations[0].kinds", "DUMP_FAILED,VERIFICATION_FAILED"),
                Map.entry("pgsnapman.catalog.notifications.destinations[1].name", "hook"),
                Map.entry("pgsnapman.catalog.notifications.destinations[1].type", "WEBHOOK"),
                Map.entry("pgsnapman.catalog.notifications.destinations[1].url", hookBase + "/hook"),
                Map.entry("pgsnapman.catalog.notifications.destinations[1].dump-jobs", "job-n1"),
                Map.entry("pgsnapman.catalog.notifications.destinations[2].name", "slack"),
                Map.entry("pgsnapman.catalog.notifications.destinations[2].type", "SLACK"),
                Map.entry("pgsnapman.catalog.notifications.destinations[2].url", hookBase + "/slack"),
                Map.entry("pgsnapman.catalog.notifications.destinations[2].dump-jobs", "job-n2"),
                Map.entry("pgsnapman.catalog.notifications.destinations[3].name", "flaky"),
                Map.entry("pgsnapman.catalog.notifications.destinations[3].type", "WEBHOOK"),
                Map.entry("pgsnapman.catalog.notifications.destinations[3].url", hookBase + "/flaky"),
                Map.entry("pgsnapman.catalog.notifications.destinations[3].kinds", "RESTORE_REJECTED"),
                Map.entry("spring.datasource.url", pg.jdbcUrl("pgsnapman_catalog")),
                Map.entry("spring.datasource.username", pg.superuser()),
                Map.entry("spring.datasource.password", pg.password()),
                Map.entry("spring.kafka.bootstrap-servers", broker.bootstrapServers()),
                Map.entry("spring.kafka.properties.schema.registry.url", registry.url()),
                Map.entry("pgsnapman.catalog.repository", dir.toString()),
                Map.entry("pgsnapman.catalog.retries", "0"),
                Map.entry("pgsnapman.catalog.maintenance.check-every", "0s"),
                Map.entry("pgsnapman.catalog.maintenance.gc-every", "0s"),
                Map.entry("pgsnapman.catalog.auth.tokens[0].name", "ada"),
                Map.entry("pgsnapman.catalog.auth.tokens[0].role", "admin"),
                Map.entry("pgsnapman.catalog.auth.tokens[0].token", ADMIN),
                Map.entry("pgsnapman.catalog.auth.tokens[1].name", "vic"),
                Map.entry("pgsnapman.catalog.auth.tokens[1].role", "viewer"),
                Map.entry("pgsnapman.catalog.auth.tokens[1].token", VIEWER),
                Map.entry("pgsnapman.catalog.auth.tokens[2].name", "otto"),
                Map.entry("pgsnapman.catalog.auth.tokens[2].role", "operator"),
                Map.entry("pgsnapman.catalog.auth.tokens[2].token", OPERATOR)));
        viewer = new ApiClient(app.baseUrl(), VIEWER);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    private void publish(String key, SpecificRecord value) throws Exception {
        publish(Topics.DUMP_COMPLETED.name(), key, value);
    }

    private void publish(String topic, String key, SpecificRecord value) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(), AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static DumpCompleted succeeded(String dumpId, String server, String database, Instant at) {
        return DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setHeader(SampleEvents.header())
                .setDumpId(dumpId).setDumpJobId(dumpId.substring(0, dumpId.indexOf('/'))).setServerId(server)
                .setSpec(DumpSpec.newBuilder(SampleEvents.dumpSpec()).setDatabaseName(database).build())
                .setOutcome(Outcome.SUCCEEDED).setFailure(null).setVerification(VerificationStatus.VERIFIED)
                .setScheduledAt(at).setStartedAt(at).setFinishedAt(at.plusSeconds(60)).build();
    }

    private JsonNode awaitDump(String dumpId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> viewer.get("/api/v1/dumps/" + dumpId).status() == 200);
        return viewer.get("/api/v1/dumps/" + dumpId).body();
    }

    @Test
    void dumpsAreCatalogedAndListedWithFiltersAndPaging() throws Exception {
        // Given three outcomes on two servers
        Instant t = Instant.parse("2026-05-01T02:00:00Z");
        publish("job-a", succeeded("job-a/20260501T020000Z", "srv-list", "orders", t));
        publish("job-a", succeeded("job-a/20260502T020000Z", "srv-list", "orders", t.plus(Duration.ofDays(1))));
        DumpCompleted failed = DumpCompleted.newBuilder(succeeded("job-b/20260501T020000Z", "srv-2", "ghost", t))
                .setOutcome(Outcome.FAILED).setVerification(VerificationStatus.NOT_VERIFIED)
                .setFailure(Failure.newBuilder().setReason("pg_dump exited with 1").setCode("3D000").setExitCode(1)
                        .setStderrExcerpt("pg_dump: error: database \"ghost\" does not exist").build()).build();
        publish("job-b", failed);

        // When they have been cataloged
        JsonNode one = awaitDump("job-a/20260502T020000Z");
        JsonNode bad = awaitDump("job-b/20260501T020000Z");

        // Then each shows with its outcome, sizes and failure; the list filters and pages
        assertThat(one.get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(one.get("sizeBytes").asLong()).isEqualTo(123_456_789L);
        assertThat(one.get("manifestSha256").asString()).hasSize(64);
        assertThat(bad.get("failure").get("stderrExcerpt").asString()).contains("does not exist");
        JsonNode srv1 = viewer.get("/api/v1/dumps?serverId=srv-list&size=1&page=0").body();
        assertThat(srv1.get("total").asLong()).isEqualTo(2);
        assertThat(srv1.get("items").get(0).get("dumpId").asString()).isEqualTo("job-a/20260502T020000Z");
        assertThat(viewer.get("/api/v1/dumps?serverId=srv-list&size=1&page=1").body().get("items").get(0).get("dumpId").asString())
                .isEqualTo("job-a/20260501T020000Z");
        assertThat(viewer.get("/api/v1/dumps?serverId=srv-2&outcome=FAILED&from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z")
                .body().get("items")).hasSize(1);
        assertThat(viewer.get("/api/v1/dumps?serverId=srv-list&databaseName=orders&from=2026-05-02T00:00:00Z").body().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void aRedeliveredOrLateFailedEventDoesNotChangeASucceededDump() throws Exception {
        Instant t = Instant.parse("2026-06-01T02:00:00Z");
        DumpCompleted ok = succeeded("job-c/20260601T020000Z", "srv-1", "orders", t);
        publish("job-c", ok);
        publish("job-c", ok);
        publish("job-c", DumpCompleted.newBuilder(ok).setHeader(SampleEvents.header()).setOutcome(Outcome.FAILED)
                .setFailure(Failure.newBuilder().setReason("late duplicate").build()).build());
        publish("job-c", succeeded("job-c/20260602T020000Z", "srv-1", "orders", t.plus(Duration.ofDays(1))));

        awaitDump("job-c/20260602T020000Z");

        assertThat(viewer.get("/api/v1/dumps?dumpJobId=job-c").body().get("total").asLong()).isEqualTo(2);
        assertThat(viewer.get("/api/v1/dumps/job-c/20260601T020000Z").body().get("outcome").asString()).isEqualTo("SUCCEEDED");
        // and the late FAILED is no failure to tell anyone about: nothing was queued for it (it was read before the last dump)
        try (Connection c = pg.connect("pgsnapman_catalog"); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM notifications WHERE notification_key LIKE 'DUMP_FAILED/job-c/%'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicAndTheNextOneIsCataloged() throws Exception {
        // Given a record that is not Avro, followed by a valid event
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.DUMP_COMPLETED.name(), "job-x".getBytes(), "garbage".getBytes())).get();
        }
        publish("job-x", succeeded("job-x/20260701T020000Z", "srv-1", "orders", Instant.parse("2026-07-01T02:00:00Z")));

        // Then the valid one is cataloged and the bad one is on the dead-letter topic with the error in its headers
        awaitDump("job-x/20260701T020000Z");
        ConsumerRecord<String, byte[]> dead = TopicRecords.readUntil(broker, Topics.DUMP_COMPLETED.deadLetterTopic(),
                new ByteArrayDeserializer(), list -> !list.isEmpty(), Duration.ofSeconds(60)).get(0);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
        assertThat(new String(dead.headers().lastHeader("pgsnapman-dlt-message").value(), StandardCharsets.UTF_8))
                .contains("not in the Confluent Avro wire format");
        assertThat(dead.headers().lastHeader("kafka_dlt-original-topic")).isNotNull();
    }

    @Test
    void theCatalogIsRebuiltFromManifestsAlone() throws Exception {
        // Given a complete dump in the repository that no event announced
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        try (DumpWriter writer = repo.begin("job-r/20260801T020000Z")) {
            Files.writeString(writer.directory().resolve("toc.dat"), "toc");
            writer.commit(Manifest.builder().dumpId("job-r/20260801T020000Z").dumpJobId("job-r").serverId("srv-9")
                    .databaseName("crm").dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(Instant.parse("2026-08-01T02:00:00Z")).startedAt(Instant.parse("2026-08-01T02:00:01Z"))
                    .finishedAt(Instant.parse("2026-08-01T02:01:00Z")).serverVersion("15.8").pgDumpVersion("15.18")
                    .verified(true).workerId("w1").build());
        }
        ApiClient admin = viewer.as(ADMIN);

        // When a viewer and then an admin ask for a rebuild
        ApiClient.Answer refused = viewer.post("/api/v1/catalog/rebuild", null);
        ApiClient.Answer rebuilt = admin.post("/api/v1/catalog/rebuild", null);

        // Then only the admin may, and the dump is in the catalog from its manifest
        assertThat(refused.status()).isEqualTo(403);
        assertThat(rebuilt.status()).as(rebuilt.raw()).isEqualTo(200);
        assertThat(rebuilt.body().get("manifests").asInt()).isEqualTo(1);
        JsonNode entry = viewer.get("/api/v1/dumps/job-r/20260801T020000Z").body();
        assertThat(entry.get("source").asString()).isEqualTo("rebuild");
        assertThat(entry.get("verification").asString()).isEqualTo("VERIFIED");
        assertThat(entry.get("sizeBytes").asLong()).isEqualTo(3);

        // And when an operator pins it and the catalog is rebuilt twice more
        assertThat(viewer.as(OPERATOR).put("/api/v1/pins/job-r/20260801T020000Z", null).status()).isEqualTo(200);
        admin.post("/api/v1/catalog/rebuild", null);
        ApiClient.Answer again = admin.post("/api/v1/catalog/rebuild", null);

        // Then the pin made in the catalog is kept (a rebuild never unpins), and nothing else changed
        assertThat(again.status()).isEqualTo(200);
        JsonNode after = viewer.get("/api/v1/dumps/job-r/20260801T020000Z").body();
        assertThat(after.get("pinned").asBoolean()).isTrue();
        assertThat(after.get("verification").asString()).isEqualTo("VERIFIED");
        assertThat(after.get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(after.get("sizeBytes").asLong()).isEqualTo(3);
        assertThat(after.get("manifestSha256").asString()).isEqualTo(entry.get("manifestSha256").asString());

        // And when the catalog loses the entry and is rebuilt from the repository
        try (Connection c = pg.connect("pgsnapman_catalog"); Statement st = c.createStatement()) {
            st.execute("DELETE FROM dumps WHERE dump_id = 'job-r/20260801T020000Z'");
        }
        admin.post("/api/v1/catalog/rebuild", null);

        // Then the pin comes back with it: it is kept with the dump in the repository
        assertThat(viewer.get("/api/v1/dumps/job-r/20260801T020000Z").body().get("pinned").asBoolean()).isTrue();
    }

    @Test
    void theRepositoryIsTotalledCollectedAndCheckedByAdmins() throws Exception {
        // Given a dump kept as chunks, cataloged from its outcome, and a deleted one whose chunks nobody uses
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        chunkedDump(repo, "job-gc/20260801T020000Z", "1\tkept\n".repeat(50_000));
        chunkedDump(repo, "job-gc/20260802T020000Z", "2\tgone\n".repeat(50_000));
        Manifest kept = repo.open("job-gc/20260801T020000Z").orElseThrow().manifest();
        publish("job-gc", DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setDumpId(kept.dumpId()).setDumpJobId("job-gc")
                .setOutcome(Outcome.SUCCEEDED).setFailure(null).setSizeBytes(kept.totalBytes())
                .setStoredBytes(kept.storedBytes()).build());
        await().atMost(Duration.ofSeconds(60)).until(() -> viewer.get("/api/v1/dumps/" + kept.dumpId()).status() == 200);
        repo.delete("job-gc/20260802T020000Z");
        try (var chunks = Files.walk(repository.resolve("chunks"))) {
            for (Path chunk : chunks.filter(f -> f.getFileName().toString().length() == 64).toList()) {
                Files.setLastModifiedTime(chunk, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(7200)));
            }
        }
        ApiClient admin = viewer.as(ADMIN);

        // When a viewer reads the totals, and asks for garbage collection
        JsonNode totals = viewer.get("/api/v1/repository").body();
        ApiClient.Answer refused = viewer.post("/api/v1/repository/gc", null);

        // Then the totals count the kept dump's logical and stored bytes, and only admins collect
        assertThat(totals.get("logicalBytes").asLong()).isGreaterThanOrEqualTo(kept.totalBytes());
        assertThat(totals.get("storedBytes").asLong()).isGreaterThanOrEqualTo(kept.storedBytes());
        assertThat(totals.get("ratio").asDouble()).isPositive();
        assertThat(refused.status()).isEqualTo(403);

        // When an admin runs a dry run, then a collection, then a check reading every chunk
        JsonNode dry = admin.post("/api/v1/repository/gc?dryRun=true", null).body();
        JsonNode collected = admin.post("/api/v1/repository/gc", null).body();
        JsonNode check = admin.post("/api/v1/repository/verify?readDataPercent=100", null).body();

        // Then the dry run found the deleted dump's chunks and removed nothing, the collection removed them, and
        // every remaining dump still checks out
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("removable").asLong()).isPositive();
        assertThat(dry.get("removed").asLong()).isZero();
        assertThat(collected.get("removed").asLong()).isEqualTo(dry.get("removable").asLong());
        assertThat(check.get("problems").size()).as(check.toString()).isZero();
        assertThat(check.get("chunksRead").asLong()).isEqualTo(check.get("chunks").asLong()).isPositive();
        assertThat(admin.post("/api/v1/repository/verify?readDataPercent=101", null).status()).isEqualTo(400);
        repo.delete(kept.dumpId()); // the rebuild test counts the manifests in this repository
    }

    @Test
    void aRebuildFromAChunkedDumpsManifestMatchesWhatItsOutcomeCataloged() throws Exception {
        // Given a dump kept as chunks, cataloged from the outcome its worker published
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        chunkedDump(repo, "job-v3/20260803T020000Z", "3\tchunked\n".repeat(40_000));
        var reader = repo.open("job-v3/20260803T020000Z").orElseThrow();
        Manifest m = reader.manifest();
        publish("job-gc", DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setDumpId(m.dumpId())
                .setDumpJobId(m.dumpJobId()).setServerId(m.serverId()).setOutcome(Outcome.SUCCEEDED).setFailure(null)
                .setLocation(m.dumpId()).setManifestSha256(reader.manifestSha256()).setFileCount(m.files().size())
                .setSizeBytes(m.totalBytes()).setStoredBytes(m.storedBytes())
                .setVerification(VerificationStatus.VERIFIED).build());
        JsonNode fromEvent = awaitDump(m.dumpId());

        // When the catalog is rebuilt from the manifests
        assertThat(viewer.as(ADMIN).post("/api/v1/catalog/rebuild", null).status()).isEqualTo(200);

        // Then the entry has the same sizes (logical and stored), file count and manifest checksum
        JsonNode rebuilt = viewer.get("/api/v1/dumps/" + m.dumpId()).body();
        assertThat(rebuilt.get("source").asString()).isEqualTo("rebuild");
        for (String field : List.of("sizeBytes", "storedBytes", "fileCount", "manifestSha256", "outcome", "verification")) {
            assertThat(rebuilt.get(field)).as(field).isEqualTo(fromEvent.get(field));
        }
        assertThat(rebuilt.get("storedBytes").asLong()).isLessThan(rebuilt.get("sizeBytes").asLong());
        repo.delete(m.dumpId()); // the rebuild test counts the manifests in this repository
    }

    @Test
    void aDamagedChunkFoundByTheRepositoryCheckFailsTheDumpsVerificationWithOneEventUntilItIsWholeAgain() throws Exception {
        // Given a cataloged dump kept as chunks, with one byte of its chunk flipped
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        String dumpId = "job-rot/20260803T020000Z";
        chunkedDump(repo, dumpId, "3\tbit rot\n".repeat(1_000));
        Manifest manifest = repo.open(dumpId).orElseThrow().manifest();
        publish("job-rot", DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setDumpId(dumpId).setDumpJobId("job-rot")
                .setOutcome(Outcome.SUCCEEDED).setFailure(null).setVerification(VerificationStatus.VERIFIED)
                .setSizeBytes(manifest.totalBytes()).setStoredBytes(manifest.storedBytes()).build());
        awaitDump(dumpId);
        List<String> ids = new java.util.ArrayList<>();
        io.pgsnapman.repository.chunks.ChunkIndex.read(repo.open(dumpId).orElseThrow().directory()
                .resolve(manifest.files().get(0).chunks()), ref -> ids.add(ref.id()));
        String chunk = ids.get(0);
        Path chunkFile = repository.resolve("chunks").resolve(chunk.substring(0, 2)).resolve(chunk.substring(2, 4)).resolve(chunk);
        byte[] original = Files.readAllBytes(chunkFile);
        byte[] flipped = original.clone();
        flipped[flipped.length - 1] ^= 0x01;
        Files.write(chunkFile, flipped);
        ApiClient admin = viewer.as(ADMIN);

        // When an admin checks the repository twice
        JsonNode check = admin.post("/api/v1/repository/verify?readDataPercent=100", null).body();
        admin.post("/api/v1/repository/verify?readDataPercent=100", null);

        // Then the check names the dump, the catalog shows it VERIFICATION_FAILED with the chunk, and the totals
        // show the latest check
        assertThat(check.get("problems").valueStream().map(p -> p.get("dumpId").asString())).containsExactly(dumpId);
        JsonNode entry = viewer.get("/api/v1/dumps/" + dumpId).body();
        assertThat(entry.get("verification").asString()).isEqualTo("VERIFICATION_FAILED");
        assertThat(entry.get("verificationError").asString()).contains("3001.dat").contains(chunk);
        JsonNode lastCheck = viewer.get("/api/v1/repository").body().get("lastCheck");
        assertThat(lastCheck.get("requestedBy").asString()).isEqualTo("ada");
        assertThat(lastCheck.get("damagedDumps").asInt()).isEqualTo(1);
        assertThat(lastCheck.get("readDataPercent").asInt()).isEqualTo(100);

        // When the chunk is whole again and the repository is checked once more
        Files.write(chunkFile, original);
        admin.post("/api/v1/repository/verify?readDataPercent=100", null);

        // Then the dump is VERIFIED again, and the catalog events say so: one VERIFICATION_FAILED naming the chunk
        // (the second check found nothing new), then VERIFIED
        assertThat(viewer.get("/api/v1/dumps/" + dumpId).body().get("verification").asString()).isEqualTo("VERIFIED");
        AvroDeserializer<CatalogEvent> events = AvroDeserializer.forSpecificValues(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        List<CatalogEvent> published = TopicRecords.readUntil(broker, Topics.CATALOG_EVENTS.name(), events,
                        list -> list.stream().anyMatch(r -> dumpId.equals(r.key()) && r.value().getType() == CatalogEventType.VERIFIED),
                        Duration.ofSeconds(60))
                .stream().filter(r -> dumpId.equals(r.key())).map(ConsumerRecord::value).toList();
        assertThat(published).extracting(CatalogEvent::getType).containsExactly(CatalogEventType.CATALOGED,
                CatalogEventType.VERIFICATION_FAILED, CatalogEventType.VERIFIED);
        assertThat(published.get(1).getReason()).contains(chunk);
        assertThat(published.get(1).getDumpJobId()).isEqualTo("job-rot");
        assertThat(published.get(1).getVerification()).isEqualTo(VerificationStatus.VERIFICATION_FAILED);
        repo.delete(dumpId); // the rebuild test counts the manifests in this repository
    }

    private static void chunkedDump(FilesystemDumpRepository repo, String dumpId, String rows) throws Exception {
        try (DumpWriter writer = repo.begin(dumpId)) {
            Files.writeString(writer.directory().resolve("3001.dat"), rows);
            writer.storeAsChunks("3001.dat");
            writer.commit(Manifest.builder().dumpId(dumpId).dumpJobId("job-gc").serverId("srv-9").databaseName("crm")
                    .dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(Instant.parse("2026-08-01T02:00:00Z")).verified(true).build());
        }
    }

    @Test
    void badParametersAndMissingTokensAreRefused() {
        assertThat(viewer.as(null).get("/api/v1/dumps").status()).isEqualTo(401);
        ApiClient.Answer bad = viewer.get("/api/v1/dumps?outcome=MAYBE&size=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").valueStream().map(e -> e.get("field").asString())).contains("outcome", "size");
        assertThat(viewer.get("/api/v1/dumps?from=yesterday").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/dumps/nope/nothing").status()).isEqualTo(404);
        assertThat(ServiceEndpoints.probeProblems(app.port())).isEmpty();
    }

    @Test
    void restoreOutcomesAreRecordedAndListed() throws Exception {
        // Given a SUCCEEDED and a REJECTED restore outcome, the first one answered twice
        RestoreCompleted done = RestoreCompleted.newBuilder(SampleEvents.restoreCompleted())
                .setRestoreRequestId("rjob-1/job-a/20260501T020000Z").setOutcome(Outcome.SUCCEEDED).setFailure(null)
                .setTargetServerId("srv-target").setDumpId("job-a/20260501T020000Z").setPurpose(RestorePurpose.RESTORE).build();
        publish(Topics.RESTORE_COMPLETED.name(), done.getRestoreRequestId(), done);
        publish(Topics.RESTORE_COMPLETED.name(), done.getRestoreRequestId(), done);
        RestoreCompleted refused = RestoreCompleted.newBuilder(SampleEvents.restoreCompleted())
                .setRestoreRequestId("ext-42").setTargetServerId("srv-target").setStartedAt(null)
                .setPurpose(RestorePurpose.RESTORE).build();
        publish(Topics.RESTORE_COMPLETED.name(), "ext-42", refused);

        // When they have been recorded
        await().atMost(Duration.ofSeconds(60)).until(() -> viewer.get("/api/v1/restores/ext-42").status() == 200);

        // Then both are listed for the target, once each, with their outcome and reason
        JsonNode list = viewer.get("/api/v1/restores?targetServerId=srv-target").body();
        assertThat(list.get("total").asLong()).isEqualTo(2);
        JsonNode one = viewer.get("/api/v1/restores/rjob-1/job-a/20260501T020000Z").body();
        assertThat(one.get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(one.get("dumpId").asString()).isEqualTo("job-a/20260501T020000Z");
        assertThat(one.get("attempts").asInt()).isEqualTo(done.getAttempts());
        JsonNode ext = viewer.get("/api/v1/restores/ext-42").body();
        assertThat(ext.get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(ext.get("failureField").asString()).isEqualTo("targetServerId");
        assertThat(viewer.get("/api/v1/restores?outcome=MAYBE").status()).isEqualTo(400);
    }

    @Test
    void theLatestVerifiedDumpOfAJobIsInUseByTheRestoreJobsOfThatJob() throws Exception {
        // Given two dumps of a job, and a restore job copying that job's dumps
        Instant t = Instant.parse("2026-07-01T02:00:00Z");
        publish("job-used", succeeded("job-used/20260701T020000Z", "srv-use", "shop", t));
        publish("job-used", succeeded("job-used/20260702T020000Z", "srv-use", "shop", t.plus(Duration.ofDays(1))));
        publish(Topics.CONFIG_RESTORE_JOBS.name(), "rjob-use", RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig())
                .setRestoreJobId("rjob-use").setSourceDumpJobId("job-used").build());
        awaitDump("job-used/20260702T020000Z");

        // Then the newer one is in use by it, the older one is not, in the listing and when shown
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                awaitDump("job-used/20260702T020000Z").get("inUseBy").get(0).asString()).isEqualTo("rjob-use"));
        assertThat(awaitDump("job-used/20260702T020000Z").get("inUse").asBoolean()).isTrue();
        assertThat(awaitDump("job-used/20260701T020000Z").get("inUse").asBoolean()).isFalse();
        JsonNode listed = viewer.get("/api/v1/dumps?dumpJobId=job-used").body().get("items");
        assertThat(listed.get(0).get("inUseBy").get(0).asString()).isEqualTo("rjob-use");
        assertThat(listed.get(1).get("inUseBy")).isEmpty();
    }

    @Test
    void operatorsPinAndUnpinDumpsViewersMayNot() throws Exception {
        // Given a cataloged dump
        publish("job-pin", succeeded("job-pin/20260801T020000Z", "srv-pin", "shop", Instant.parse("2026-08-01T02:00:00Z")));
        awaitDump("job-pin/20260801T020000Z");

        // When a viewer and then an operator pin it
        assertThat(viewer.put("/api/v1/pins/job-pin/20260801T020000Z", null).status()).isEqualTo(403);
        ApiClient.Answer pinned = viewer.as(OPERATOR).put("/api/v1/pins/job-pin/20260801T020000Z", null);

        // Then only the operator could, and the dump shows pinned until unpinned
        assertThat(pinned.status()).as(pinned.raw()).isEqualTo(200);
        assertThat(awaitDump("job-pin/20260801T020000Z").get("pinned").asBoolean()).isTrue();
        assertThat(viewer.as(OPERATOR).delete("/api/v1/pins/job-pin/20260801T020000Z").body().get("pinned").asBoolean()).isFalse();
        assertThat(viewer.as(OPERATOR).put("/api/v1/pins/job-pin/19990101T000000Z", null).status()).isEqualTo(404);
    }

    @Test
    void failuresAreNotifiedByMailAndWebhooksOncePerEventWithoutSecretsAndAFailingWebhookIsRetried() throws Exception {
        // Given two failed dumps of two jobs, one of them delivered twice, its tool output quoting a password,
        // and a rejected restore request
        Instant t = Instant.parse("2026-08-01T02:00:00Z");
        DumpCompleted first = DumpCompleted.newBuilder(succeeded("job-n1/20260801T020000Z", "srv-n", "orders", t))
                .setOutcome(Outcome.FAILED).setVerification(VerificationStatus.NOT_VERIFIED)
                .setFailure(Failure.newBuilder().setReason("pg_dump exited with 1").setExitCode(1)
                        .setStderrExcerpt("pg_dump: error: connection to server failed: host=db1 password=hunter2").build()).build();
        publish("job-n1", first);
        publish("job-n1", first);
        publish("job-n2", DumpCompleted.newBuilder(first).setDumpId("job-n2/20260801T020000Z").setDumpJobId("job-n2")
                .setFailure(Failure.newBuilder().setReason("server 'srv-n' does not allow dumps").build()).build());
        publish(Topics.RESTORE_COMPLETED.name(), "r-notify-1", RestoreCompleted.newBuilder(SampleEvents.restoreCompleted())
                .setRestoreRequestId("r-notify-1").setPurpose(RestorePurpose.RESTORE).setOutcome(Outcome.REJECTED)
                .setTargetServerId("srv-n").setStartedAt(null)
                .setFailure(Failure.newBuilder().setReason("dump 'nope' is not in the catalog").setCode("DUMP_NOT_FOUND").build())
                .build());

        // Then the mail destination gets one mail per failed dump, the password hidden
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsAbout("job-n").size() == 2);
        List<MimeMessage> mails = mailsAbout("job-n");
        assertThat(mails).extracting(MimeMessage::getSubject)
                .containsExactlyInAnyOrder("[PgSnapMan] Dump failed: job job-n1", "[PgSnapMan] Dump failed: job job-n2");
        String body = mails.stream().filter(m -> subject(m).endsWith("job-n1")).findFirst().map(CatalogServiceIT::text).orElseThrow();
        assertThat(body).contains("Dump job-n1/20260801T020000Z of database orders FAILED: pg_dump exited with 1")
                .contains("password=***").doesNotContain("hunter2").contains("Server: srv-n").doesNotContain("(srv-n)");
        // and each webhook gets what its filter lets through, as JSON or in Slack's format
        await().atMost(Duration.ofSeconds(60)).until(() -> received.getOrDefault("/flaky", List.of()).size() == 1
                && received.getOrDefault("/slack", List.of()).size() == 1 && received.getOrDefault("/hook", List.of()).size() == 1);
        JsonNode hook = JsonMapper.builder().build().readTree(received.get("/hook").get(0));
        assertThat(hook.get("kind").asString()).isEqualTo("DUMP_FAILED");
        assertThat(hook.get("dumpJobId").asString()).isEqualTo("job-n1");
        assertThat(hook.get("subjectId").asString()).isEqualTo("job-n1/20260801T020000Z");
        assertThat(received.get("/hook").get(0)).doesNotContain("hunter2");
        assertThat(JsonMapper.builder().build().readTree(received.get("/slack").get(0)).get("text").asString())
                .startsWith("*PgSnapMan — Dump failed: job job-n2*\n").contains("does not allow dumps");
        // and the webhook that answered 500 twice got the rejected restore on the third attempt
        JsonNode rejected = JsonMapper.builder().build().readTree(received.get("/flaky").get(0));
        assertThat(rejected.get("kind").asString()).isEqualTo("RESTORE_REJECTED");
        assertThat(rejected.get("text").asString()).contains("r-notify-1", "REJECTED", "not in the catalog");
        assertThat(flakyCalls.get()).isEqualTo(3);
        String metrics = ServiceEndpoints.metrics(app.port());
        assertThat(metrics).contains("pgsnapman_notifications_total{destination=\"flaky\",outcome=\"RETRIED\"} 2.0")
                .contains("pgsnapman_notifications_total{destination=\"flaky\",outcome=\"SENT\"} 1.0")
                .contains("pgsnapman_notifications_total{destination=\"ops-mail\",outcome=\"FAILED\"} 0.0");
        // and nothing came twice
        assertThat(mailsAbout("job-n")).hasSize(2);
        assertThat(received.get("/hook")).hasSize(1);
    }

    @Test
    void aDeliveryQueuedOnceIsTakenByOneCallerTriedAgainLaterAndGivenUp() throws Exception {
        NotificationStore queue = app.bean(NotificationStore.class);
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        assertThat(queue.enqueue("TEST/q-1", "nowhere", "DUMP_FAILED", "{}", now)).isTrue();
        assertThat(queue.enqueue("TEST/q-1", "nowhere", "DUMP_FAILED", "{}", now)).isFalse();
        List<NotificationStore.Due> taken = queue.take(now.plusSeconds(1), now.plusSeconds(120), 100).stream()
                .filter(d -> d.destination().equals("nowhere")).toList();
        assertThat(taken).hasSize(1);
        assertThat(queue.take(now.plusSeconds(2), now.plusSeconds(120), 100)).noneMatch(d -> d.destination().equals("nowhere"));
        queue.failed(taken.get(0).id(), "HTTP 503", now.plusSeconds(10));
        assertThat(queue.take(now.plusSeconds(11), now.plusSeconds(120), 100)).filteredOn(d -> d.destination().equals("nowhere"))
                .singleElement().satisfies(d -> assertThat(d.attempts()).isEqualTo(1));
        queue.failed(taken.get(0).id(), "HTTP 503 again", null);

        try (Connection c = pg.connect("pgsnapman_catalog"); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT state, attempts, last_error FROM notifications WHERE notification_key = 'TEST/q-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("FAILED");
            assertThat(rs.getInt(2)).isEqualTo(2);
            assertThat(rs.getString(3)).isEqualTo("HTTP 503 again");
        }
        assertThat(queue.take(now.plusSeconds(3600), now.plusSeconds(4000), 100)).noneMatch(d -> d.destination().equals("nowhere"));
    }

    private List<MimeMessage> mailsAbout(String text) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).contains(text)).toList();
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage mail) {
        try {
            return (String) mail.getContent();
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
