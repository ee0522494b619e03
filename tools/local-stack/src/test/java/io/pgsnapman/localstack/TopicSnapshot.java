package io.pgsnapman.localstack;

import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every record of every PgSnapMan topic of a running local stack as a standard Confluent-format client would. */
final class TopicSnapshot {

    /** fetch.max.wait.ms of the readers: a new consumer's second fetch otherwise waits 500 ms at each topic's end. */
    private static final int QUICK_FETCH_MS = 50;

    static final String UNDECODABLE = "UNDECODABLE: ";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TopicSnapshot() {}

    /** The operator's client settings the stack wrote ({@code kafka-client.properties}): plaintext, or mutual TLS. */
    static Map<String, Object> clientSettings(StackLayout layout) {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(layout.kafkaClientConfig())) {
            file.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> settings = new HashMap<>();
        file.stringPropertyNames().forEach(key -> settings.put(key, file.getProperty(key)));
        return settings;
    }

    /** {@code "topic-partition@offset"} → key and the value decoded with the schema its id names (generic Avro). */
    static Map<String, String> read(StackLayout layout) throws Exception {
        return read(layout, topic -> true);
    }

    /** The same, for the topics {@code which} accepts. */
    static Map<String, String> read(StackLayout layout, Predicate<String> which) throws Exception {
        Map<String, Object> props = clientSettings(layout);
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, layout.registryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, QUICK_FETCH_MS);
        AvroDeserializer<Object> values = new AvroDeserializer<>();
        values.configure(props, false);
        Map<String, String> records = new TreeMap<>();
        List<String> topics;
        try (Admin admin = Admin.create(clientSettings(layout))) {
            topics = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith("pgsnapman.") && !t.endsWith("-dlt")).filter(which).sorted().toList();
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
                Instant deadline = Instant.now().plusSeconds(60);
                while (!ends.isEmpty() && Instant.now().isBefore(deadline)) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        records.put(topic + "-" + r.partition() + "@" + r.offset(), r.key() + " = " + decode(values, r));
                    }
                    ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                }
            }
        }
        return records;
    }

    private static String decode(AvroDeserializer<Object> values, ConsumerRecord<String, byte[]> r) {
        try {
            return String.valueOf(values.deserialize(r.topic(), r.value()));
        } catch (RuntimeException e) {
            return UNDECODABLE + e.getMessage();
        }
    }

    /** A second server entry for the local cluster and a FULL dump job of {@code shop} due every minute; its id. */
    static String createEveryMinuteJob(LocalStack stack) throws Exception {
        StackLayout l = stack.layout();
        String server = post(stack, "/api/v1/servers", """
                {"name": "local-again", "host": "%s", "port": %d, "username": "%s", "credentialRef": "local",
                 "sslMode": "DISABLE"}""".formatted(l.postgresHost(), l.postgresPort(), l.postgresUser()));
        return post(stack, "/api/v1/dump-jobs", """
                {"name": "shop-every-minute", "serverId": "%s", "dumpType": "FULL", "databaseName": "shop",
                 "cron": "* * * * *"}""".formatted(server));
    }

    private static String post(LocalStack stack, String path, String json) throws Exception {
        return post(stack, path, json, "id");
    }

    /** POSTs to config-service and returns the named text field of the answer. */
    static String post(LocalStack stack, String path, String json, String field) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create(stack.layout().serviceUrl(StackLayout.Service.CONFIG) + path))
                .header("Authorization", "Bearer " + stack.adminToken()).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        Matcher value = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body());
        if (!value.find()) {
            throw new IllegalStateException("no " + field + " in " + answer.body());
        }
        return value.group(1);
    }

    /** The first dump outcome of that job, decoded, once one is published. */
    static String awaitCronDump(StackLayout layout, String jobId, Duration timeout) {
        return awaitValues(layout, "pgsnapman.dump.completed", jobId, timeout).get(0);
    }

    /**
     * Every record with that key on {@code topic}, decoded, once there is at least one: one consumer follows the
     * topic from its beginning (each poll waits for records), so nothing here sleeps.
     */
    static List<String> awaitValues(StackLayout layout, String topic, String key, Duration timeout) {
        Map<String, Object> props = clientSettings(layout);
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, layout.registryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, QUICK_FETCH_MS);
        AvroDeserializer<Object> values = new AvroDeserializer<>();
        values.configure(props, false);
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        found.add(decode(values, r));
                    }
                }
                if (!found.isEmpty() && partitions.stream().allMatch(tp -> consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp))) {
                    return found;
                }
            }
        }
        throw new AssertionError("no record with key " + key + " on " + topic + " within " + timeout);
    }
}
