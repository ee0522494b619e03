package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.deadletters.DeadLetterHeaders;
import io.pgsnapman.deadletters.Stage;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.SslMode;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.schemas.Topics;
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
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand hostile restore requests against a real worker: unknown and huge ids, empty and tricky names,
 * SQL and path tricks, out-of-range numbers, contradictory options, records written with an older and a
 * newer schema, and bytes that are no record at all. Each is answered REJECTED with a code and a reason, or
 * dead-lettered; the worker stays up and ready, and the target server is not touched.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 1)
class HostileRequestsIT {

    private static final int REQUESTS = 1000;
    private static final String DUMP = "job-hostile/20260501T020000Z";
    private static final List<String> TRICKY_NAMES = List.of("", "postgres", "template1", "x\"; DROP DATABASE postgres; --",
            "'; DELETE FROM pg_database; --", "../../etc/passwd", "a\u0000b", "tab\tname", "x".repeat(64), "ünïcödé",
            "$(reboot)", "`id`", "name;", "-leading-dash-is-fine-but-quote\"isnt");
    private static final List<String> TRICKY_DUMPS = List.of("../../etc/passwd", "/etc/shadow", "job/../../..", "job//x",
            "job/./x", "x".repeat(5000), "job-hostile/20260501T020000Z/..", "nul\u0000byte", "job-hostile/does-not-exist");

    @Test
    void aThousandHostileRequestsAreEachRejectedOrDeadLetteredAndNoTargetIsTouched(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path dir) throws Exception {
        // Given a worker with a verified dump, a target that allows restores and one that does not
        PostgresServer target = servers.get(0);
        Path repository = dir.resolve("repository");
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        try (DumpWriter writer = repo.begin(DUMP)) {
            Files.writeString(writer.directory().resolve("toc.dat"), "never restored");
            writer.commit(Manifest.builder().dumpId(DUMP).dumpJobId("job-hostile").serverId("srv-source")
                    .databaseName("shop").dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(Instant.parse("2026-05-01T02:00:00Z")).startedAt(Instant.now()).finishedAt(Instant.now())
                    .serverVersion("15").pgDumpVersion("15").verified(true).build());
        }
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("target"), target.password());
        Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        publish(client, List.of(server(target, "srv-open", true), server(target, "srv-closed", false)));
        Set<String> databasesBefore = databases(target);
        ServiceApps.Running worker = ServiceApps.start(RestoreWorkerApplication.class, Map.of(
                "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                "spring.kafka.properties.schema.registry.url", registry.url(),
                "pgsnapman.restore-worker.repository", repository.toString(),
                "pgsnapman.restore-worker.credentials-dir", credentials.toString(),
                "pgsnapman.restore-worker.max-concurrent-restores", "4"));
        try (worker) {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(ServiceEndpoints.probeProblems(worker.port())).isEmpty());

            // When a thousand hostile requests arrive
            Random random = new Random(20261129);
            Map<String, String> expectedCode = new HashMap<>();
            Set<String> undecodable = new HashSet<>();
            long t0 = System.nanoTime();
            sendHostileRequests(client, random, expectedCode, undecodable);

            // Then every decodable one is answered REJECTED with the expected code, a field and a reason
            AvroDeserializer<RestoreCompleted> outcomes = AvroDeserializer.forSpecificValues(
                    Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
            Map<String, RestoreCompleted> answers = new HashMap<>();
            TopicRecords.readUntil(broker, Topics.RESTORE_COMPLETED.name(), outcomes, list -> {
                list.forEach(r -> answers.putIfAbsent(r.key(), r.value()));
                return answers.keySet().containsAll(expectedCode.keySet());
            }, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Integer> tally = new TreeMap<>();
            for (Map.Entry<String, String> expected : expectedCode.entrySet()) {
                RestoreCompleted answer = answers.get(expected.getKey());
                assertThat(answer.getOutcome()).as(expected.getKey()).isEqualTo(Outcome.REJECTED);
                assertThat(answer.getFailure().getCode()).as(answer.getFailure().getReason()).isEqualTo(expected.getValue());
                assertThat(answer.getFailure().getField()).isNotBlank();
                assertThat(answer.getFailure().getReason()).isNotBlank();
                tally.merge("REJECTED " + expected.getValue(), 1, Integer::sum);
            }
            // and every undecodable one is in the dead-letter topic at DECODE, once from each consumer group
            // (restores and test restores read the topic each in their own)
            List<ConsumerRecord<String, byte[]>> letters = TopicRecords.readUntil(broker,
                    Topics.RESTORE_REQUESTED.deadLetterTopic(), new ByteArrayDeserializer(),
                    list -> list.stream().map(ConsumerRecord::key).filter(undecodable::contains).count()
                            >= 2L * undecodable.size(),
                    Duration.ofMinutes(2));
            assertThat(letters).filteredOn(l -> undecodable.contains(l.key()))
                    .allSatisfy(l -> assertThat(DeadLetterHeaders.stage(l.headers())).contains(Stage.DECODE));
            assertThat(letters.stream().map(ConsumerRecord::key).filter(undecodable::contains)
                    .collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.stream.Collectors.counting())))
                    .as("dead letters per undecodable request").hasSize(undecodable.size()).allSatisfy((k, n) -> assertThat(n).isEqualTo(2L));
            tally.put("dead-lettered DECODE", undecodable.size());
            assertThat(tally.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);

            // and the worker is still up and ready, and the target has exactly the databases it had
            assertThat(ServiceEndpoints.probeProblems(worker.port())).isEmpty();
            assertThat(databases(target)).isEqualTo(databasesBefore);
            System.out.printf("hostile requests: %s, all answered in %.1f s%n", tally, seconds);
        }
    }

    /** Ten kinds of hostile request, a hundred of each. */
    private static void sendHostileRequests(Map<String, Object> client, Random random, Map<String, String> expectedCode,
            Set<String> undecodable) throws Exception {
        AvroSerializer<Object> serializer = new AvroSerializer<>();
        serializer.configure(client, false);
        Schema older = olderSchema();
        Schema newer = newerSchema();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(client, new StringSerializer(), serializer);
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < REQUESTS; i++) {
                String id = "hostile-" + i;
                RestoreRequested.Builder r = valid(id);
                RestoreOptions.Builder o = RestoreOptions.newBuilder(r.getOptions());
                String code;
                switch (i % 10) {
                    case 0 -> {
                        r.setTargetServerId(randomText(random, 1 + random.nextInt(i % 20 == 0 ? 10_000 : 40)));
                        code = "UNKNOWN_TARGET";
                    }
                    case 1 -> {
                        r.setTargetServerId("srv-closed");
                        code = "TARGET_DISALLOWS_RESTORES";
                    }
                    case 2 -> {
                        r.setTargetDatabaseName(TRICKY_NAMES.get(random.nextInt(TRICKY_NAMES.size())));
                        code = "INVALID_DATABASE_NAME";
                    }
                    case 3 -> {
                        int[] outOfRange = {0, -1, 65, Integer.MIN_VALUE, Integer.MAX_VALUE};
                        o.setParallelJobs(outOfRange[random.nextInt(outOfRange.length)]);
                        code = "INVALID_OPTIONS";
                    }
                    case 4 -> {
                        o.setExistingDatabase(ExistingDatabasePolicy.TRUNCATE).setSchemaOnly(true);
                        code = "INVALID_OPTIONS";
                    }
                    case 5 -> {
                        o.setRolesFromDumpId(TRICKY_DUMPS.get(random.nextInt(TRICKY_DUMPS.size()))).setRoles(RolePolicy.NO_ROLE);
                        code = "INVALID_OPTIONS";
                    }
                    case 6 -> {
                        if (random.nextInt(5) == 0) {
                            r.setDumpId(null).setSourceDumpJobId(null);
                            code = "MISSING_DUMP";
                        } else {
                            r.setDumpId(TRICKY_DUMPS.get(random.nextInt(TRICKY_DUMPS.size())));
                            code = "UNKNOWN_DUMP";
                        }
                    }
                    case 7 -> {
                        o.setSchemaName(random.nextBoolean() ? "x\"; DROP SCHEMA public; --" : "s\u0001" + "y".repeat(random.nextInt(300)));
                        code = "INVALID_OPTIONS";
                    }
                    case 8 -> {
                        id = id + "-" + "i".repeat(RestoreValidator.MAX_REQUEST_ID + random.nextInt(5000));
                        r.setRestoreRequestId(id);
                        code = "INVALID_REQUEST_ID";
                    }
                    default -> {
                        int variant = (i / 10) % 3;
                        if (variant == 0) {
                            byte[] bytes = new byte[random.nextInt(64)];
                            random.nextBytes(bytes);
                            raw.send(new ProducerRecord<>(Topics.RESTORE_REQUESTED.name(), id, bytes));
                            undecodable.add(id);
                            continue;
                        }
                        GenericRecord generic = asGeneric(r.setTargetServerId("srv-from-another-version-" + i).build(),
                                variant == 1 ? older : newer);
                        producer.send(new ProducerRecord<>(Topics.RESTORE_REQUESTED.name(), "srv-other", generic));
                        expectedCode.put(id, "UNKNOWN_TARGET");
                        continue;
                    }
                }
                RestoreRequested request = r.setOptions(o.build()).build();
                producer.send(new ProducerRecord<>(Topics.RESTORE_REQUESTED.name(), request.getTargetServerId(), request));
                expectedCode.put(id, code);
            }
            producer.flush();
            raw.flush();
        }
    }

    /** A request that would restore if nothing were wrong with it; each kind spoils one thing. */
    private static RestoreRequested.Builder valid(String id) {
        return RestoreRequested.newBuilder().setHeader(SampleEvents.header()).setRestoreRequestId(id).setDumpId(DUMP)
                .setSourceDumpJobId(null).setTargetServerId("srv-open").setTargetDatabaseName("hostile_target")
                .setOptions(RestoreOptions.newBuilder().build()).setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null)
                .setRequestedBy("fuzzer");
    }

    /** The schema an older producer had: without the optional {@code restoreJobId} and {@code requestedBy}. */
    private static Schema olderSchema() {
        Schema current = RestoreRequested.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("restoreJobId") && !f.name().equals("requestedBy")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    /** The schema a newer producer might have: one more field, with a default. */
    private static Schema newerSchema() {
        Schema current = RestoreRequested.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("priority", SchemaBuilder.builder().intType(), "A field of a later version.", 0));
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    /** The request as a producer with that schema would have written it (Avro's schema resolution fills the gaps). */
    private static GenericRecord asGeneric(RestoreRequested request, Schema schema) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(RestoreRequested.class).write(request, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(RestoreRequested.getClassSchema(), schema)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x5f) : 0xa1 + random.nextInt(0x2000));
        }
        return text.toString();
    }

    private static ServerConfig server(PostgresServer pg, String id, boolean allowRestores) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setName(id).setHost(pg.host())
                .setPort(pg.port()).setUsername("postgres").setMaintenanceDatabase("postgres").setCredentialRef("target")
                .setSslMode(SslMode.DISABLE).setWorkerPool("default").setPgBinDir(null).setAllowRestores(allowRestores).build();
    }

    private static void publish(Map<String, Object> client, List<ServerConfig> configs) throws Exception {
        AvroSerializer<Object> serializer = new AvroSerializer<>();
        serializer.configure(client, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(client, new StringSerializer(), serializer)) {
            for (ServerConfig config : configs) {
                producer.send(new ProducerRecord<>(Topics.CONFIG_SERVERS.name(), config.getServerId(), config)).get();
            }
        }
    }

    private static Set<String> databases(PostgresServer pg) throws Exception {
        Set<String> names = new HashSet<>();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT datname FROM pg_database")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
