package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.registry.client.IncompatibleSchemaException;
import io.pgsnapman.registry.client.RegistryClientSettings;
import io.pgsnapman.registry.client.SchemaRegistryClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Schema evolution through the real registry: BACKWARD-compatible changes are read, breaking ones refused. */
@WithKafka
@WithSchemaRegistry
class SchemaEvolutionIT {

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;

    SchemaEvolutionIT(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @Test
    void readerWithOlderSchemaReadsRecordWrittenWithNewerCompatibleSchema() throws Exception {
        // Given the current ActivityEvent schema registered for a topic, and a newer version with an added optional field
        String topic = "test.evolution.activity";
        ActivityEvent current = SampleEvents.activityEvent();
        send(topic, current);
        Schema newer = withExtraField(ActivityEvent.getClassSchema(),
                "{\"name\":\"hostname\",\"type\":[\"null\",\"string\"],\"default\":null}");
        GenericRecord written = copyInto(current, newer);
        written.put("hostname", "pod-7");

        // When a record is written with the newer schema and read by a consumer whose generated class is the older one
        send(topic, written);
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryClientSettings.builder(registry.url()).build());
        ConsumerRecord<String, Object> read = KafkaClients.consumeLast(
                broker, topic, 2, KafkaClients.avroDeserializer(registry, true));

        // Then the newer schema was registered as a second version, and the old reader gets every field it knows
        assertThat(client.latest(topic + "-value").version()).isEqualTo(2);
        assertThat(read.value()).isInstanceOf(ActivityEvent.class).isEqualTo(current);
    }

    @Test
    void registeringAnIncompatibleSchemaFailsNamingSubjectAndRegistryReason() throws Exception {
        // Given the current ActivityEvent schema registered for a topic
        String topic = "test.evolution.incompatible";
        send(topic, SampleEvents.activityEvent());
        Schema breaking = withExtraField(ActivityEvent.getClassSchema(), "{\"name\":\"hostname\",\"type\":\"string\"}");
        GenericRecord record = copyInto(SampleEvents.activityEvent(), breaking);
        record.put("hostname", "pod-7");

        // When a record with a required new field (no default) is produced
        // Then the send fails with the subject and the registry's reason, and nothing is written
        assertThatThrownBy(() -> send(topic, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(topic + "-value")
                .hasMessageContaining("incompatible")
                .hasMessageContaining(registry.url())
                .cause()
                .isInstanceOf(IncompatibleSchemaException.class)
                .satisfies(e -> assertThat(((IncompatibleSchemaException) e).registryMessage()).contains("hostname"));
        SchemaRegistryClient client = new SchemaRegistryClient(RegistryClientSettings.builder(registry.url()).build());
        assertThat(client.latest(topic + "-value").version()).isEqualTo(1);
        assertThat(client.testCompatibility(topic + "-value", breaking).compatible()).isFalse();
    }

    private void send(String topic, Object value) throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, Object> producer = KafkaClients.producer(KafkaClients.producerProperties(broker, registry))) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static Schema withExtraField(Schema schema, String fieldJson) {
        String json = schema.toString();
        int fieldsStart = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fieldsStart) + fieldJson + "," + json.substring(fieldsStart));
    }

    /** The event as a generic record of the given (newer) schema: its fields copied, new fields unset. */
    private static GenericRecord copyInto(ActivityEvent event, Schema schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(ActivityEvent.class).write(event, encoder);
        encoder.flush();
        GenericRecord generic = new GenericDatumReader<GenericRecord>(ActivityEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        GenericRecord target = new GenericData.Record(schema);
        for (Schema.Field field : ActivityEvent.getClassSchema().getFields()) {
            target.put(field.name(), generic.get(field.name()));
        }
        return target;
    }
}
