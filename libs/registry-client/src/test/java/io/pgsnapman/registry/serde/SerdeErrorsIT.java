package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.registry.client.RegistryUnreachableException;
import io.pgsnapman.registry.client.SchemaNotFoundException;
import io.pgsnapman.testsupport.FreePorts;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the serde says when the bytes, the schema id or the registry are wrong. */
@WithKafka
@WithSchemaRegistry
class SerdeErrorsIT {

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;

    SerdeErrorsIT(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @Test
    void garbageBytesGiveAWireFormatError() throws Exception {
        // Given a record on a topic that is not Avro at all
        String topic = "test.errors.garbage";
        byte[] garbage = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        produceRaw(topic, garbage);
        byte[] onTopic = KafkaClients.consumeOne(broker, topic, new ByteArrayDeserializer()).value();

        // When our deserializer reads it
        // Then the error names the topic and the offending first byte
        assertThatThrownBy(() -> KafkaClients.avroDeserializer(registry, true).deserialize(topic, onTopic))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + topic + "'")
                .hasMessageContaining("not in the Confluent Avro wire format")
                .hasMessageContaining("0x7B");
    }

    @Test
    void unknownSchemaIdGivesAnErrorNamingTheId() throws Exception {
        // Given a record in the wire format whose schema id the registry never gave out
        String topic = "test.errors.unknown-id";
        byte[] bytes = ByteBuffer.allocate(8).put((byte) 0).putInt(987_654).put(new byte[] {2, 4, 6}).array();
        produceRaw(topic, bytes);
        byte[] onTopic = KafkaClients.consumeOne(broker, topic, new ByteArrayDeserializer()).value();

        // When our deserializer reads it
        // Then the error names the topic and the id, and carries the registry's answer
        assertThatThrownBy(() -> KafkaClients.avroDeserializer(registry, true).deserialize(topic, onTopic))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + topic + "'")
                .hasMessageContaining("987654")
                .hasCauseInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void truncatedAvroPayloadGivesADecodeError() throws Exception {
        // Given a valid record whose Avro payload is cut short
        String topic = "test.errors.truncated";
        try (KafkaProducer<String, Object> producer = KafkaClients.producer(KafkaClients.producerProperties(broker, registry))) {
            producer.send(new ProducerRecord<>(topic, "k", SampleEvents.activityEvent())).get();
        }
        byte[] whole = KafkaClients.consumeOne(broker, topic, new ByteArrayDeserializer()).value();
        byte[] truncated = Arrays.copyOf(whole, 12);

        // When it is deserialized
        // Then the error says it could not be decoded, with topic and schema id
        assertThatThrownBy(() -> KafkaClients.avroDeserializer(registry, true).deserialize(topic, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode record on topic '" + topic + "' with schema id");
    }

    @Test
    void unreachableRegistryIsNamedInTheError() {
        // Given a serializer pointed at a port where nothing listens
        int closedPort = FreePorts.find();
        String url = "http://127.0.0.1:" + closedPort;
        AvroSerializer<ActivityEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url), false);

        // When it serializes an event
        // Then the error names the registry URL
        assertThatThrownBy(() -> serializer.serialize("test.errors.unreachable", SampleEvents.activityEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unreachable at " + url)
                .hasCauseInstanceOf(RegistryUnreachableException.class);
    }

    @Test
    void secondRegistryUrlIsUsedWhenTheFirstDoesNotAnswer() throws Exception {
        // Given a producer whose first registry URL is dead and the second is the real registry
        String topic = "test.errors.failover";
        Map<String, Object> props = new HashMap<>(KafkaClients.producerProperties(broker, registry));
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + FreePorts.find() + "," + registry.url());
        ActivityEvent sent = SampleEvents.activityEvent();

        // When an event is produced and read back
        try (KafkaProducer<String, Object> producer =
                KafkaClients.producer(props)) {
            producer.send(new ProducerRecord<>(topic, "k", sent)).get();
        }
        ConsumerRecord<String, Object> received =
                KafkaClients.consumeOne(broker, topic, KafkaClients.avroDeserializer(registry, true));

        // Then it went through
        assertThat(received.value()).isEqualTo(sent);
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsRefused() {
        // Given a serializer that must not register schemas, and a subject that has none
        AvroSerializer<ActivityEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        // When it serializes an event
        // Then it refuses, naming the subject
        assertThatThrownBy(() -> serializer.serialize("test.errors.unregistered", SampleEvents.activityEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("test.errors.unregistered-value")
                .hasCauseInstanceOf(SchemaNotFoundException.class);
    }

    private void produceRaw(String topic, byte[] value) throws Exception {
        Map<String, Object> props = new HashMap<>(KafkaClients.producerProperties(broker, registry));
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }
}
