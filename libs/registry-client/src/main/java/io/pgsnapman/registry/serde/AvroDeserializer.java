package io.pgsnapman.registry.serde;

import io.pgsnapman.registry.client.SchemaRegistryClient;
import io.pgsnapman.registry.client.SchemaRegistryException;
import io.pgsnapman.schemas.AvroTrust;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Avro in the Confluent wire format. The writer's schema comes from the registry
 * by the id in the record; it is resolved against the reader's schema (the generated class with
 * {@code specific.avro.reader=true}, else the writer's own), so a reader with an older BACKWARD-compatible
 * schema reads newer records. Bytes not in the wire format, an unknown schema id and undecodable data
 * each raise a {@link SerializationException} naming the topic and the cause; wrap this deserializer in
 * Spring Kafka's {@code ErrorHandlingDeserializer} to route such records to a dead-letter topic.
 *
 * @param <T> record type ({@code GenericRecord}, or a generated class with specific reading)
 */
public class AvroDeserializer<T> extends AvroSerde implements Deserializer<T> {

    private boolean specific;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; the client is built in {@link #configure}. */
    public AvroDeserializer() {
        super(null);
    }

    /** With a shared client; {@link #configure} then only reads the serde settings. */
    public AvroDeserializer(SchemaRegistryClient client) {
        super(client);
    }

    /** A value deserializer returning generated classes, configured from Kafka client properties. */
    public static <V> AvroDeserializer<V> forSpecificValues(Map<String, ?> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        AvroDeserializer<V> deserializer = new AvroDeserializer<>();
        deserializer.configure(props, false);
        return deserializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = configureSerde(configs);
        this.specific = config.specificAvroReader();
        AvroTrust.trustPackages(config.trustedPackages());
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int id = WireFormat.schemaId(topic, bytes);
        DatumReader<Object> reader;
        try {
            reader = readers.computeIfAbsent(id, this::readerFor);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "Cannot read record on topic '" + topic + "' with schema id " + id + ": " + e.getMessage(), e);
        }
        try {
            return (T) reader.read(null, DecoderFactory.get().binaryDecoder(
                    bytes, WireFormat.HEADER_LENGTH, bytes.length - WireFormat.HEADER_LENGTH, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode record on topic '" + topic + "' with schema id " + id
                    + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<Object> readerFor(int id) {
        Schema writer = client().schemaById(id);
        if (!specific) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Class<?> type = SpecificData.get().getClass(writer);
        if (type == null) {
            throw new SerializationException("No generated class for " + writer.getFullName() + " (schema id " + id
                    + ") on the classpath; set " + AvroSerdeConfig.SPECIFIC_AVRO_READER + "=false to read it generically");
        }
        SpecificData model = SpecificData.getForClass(type);
        return (DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }
}
