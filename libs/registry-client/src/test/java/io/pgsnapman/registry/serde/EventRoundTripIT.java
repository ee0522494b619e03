package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.registry.client.RegistryClientSettings;
import io.pgsnapman.registry.client.SchemaRegistryClient;
import io.pgsnapman.schemas.TopicSpec;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every event type of the topic table through a real broker and the real registry. */
@WithKafka
@WithSchemaRegistry
class EventRoundTripIT {

    static final List<TopicSpec<?>> TOPICS = Topics.ALL;

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;

    EventRoundTripIT(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void eventArrivesEqualAndInTheConfluentWireFormat(TopicSpec<?> topic) throws Exception {
        // Given a fully populated event of the topic's value type
        SpecificRecord sent = SampleEvents.of(topic.valueType());
        String key = String.valueOf(sent.get(sent.getSchema().getField(topic.keyField()).pos()));

        // When it is produced with our serializer and read back with our deserializer and as raw bytes
        try (KafkaProducer<String, SpecificRecord> producer = KafkaClients.producer(KafkaClients.producerProperties(broker, registry))) {
            producer.send(new ProducerRecord<>(topic.name(), key, sent)).get();
        }
        ConsumerRecord<String, Object> received = KafkaClients.consumeOne(
                broker, topic.name(), KafkaClients.avroDeserializer(registry, true));
        ConsumerRecord<String, byte[]> raw = KafkaClients.consumeOne(broker, topic.name(), new ByteArrayDeserializer());

        // Then it arrives equal, under its key, and its bytes start with 0x00 and the id the registry gave the subject
        assertThat(received.key()).isEqualTo(key);
        assertThat(received.value()).isEqualTo(sent);
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryClientSettings.builder(registry.url()).build());
        int registeredId = client.latest(topic.valueSubject()).id();
        ByteBuffer bytes = ByteBuffer.wrap(raw.value());
        assertThat(bytes.get()).isEqualTo((byte) 0);
        assertThat(bytes.getInt()).isEqualTo(registeredId);
    }
}
