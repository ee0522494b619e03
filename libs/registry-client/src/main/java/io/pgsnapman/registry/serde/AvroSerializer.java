package io.pgsnapman.registry.serde;

import io.pgsnapman.registry.client.SchemaRegistryClient;
import io.pgsnapman.registry.client.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records (generated {@link SpecificRecord}s or {@code GenericRecord}s) in
 * the Confluent wire format. The subject is {@code <topic>-value} (or {@code -key}); the schema is
 * registered when {@code auto.register.schemas} is true, else it must be registered already.
 * {@code null} stays {@code null} (a tombstone).
 *
 * @param <T> record type
 */
public class AvroSerializer<T> extends AvroSerde implements Serializer<T> {

    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; the client is built in {@link #configure}. */
    public AvroSerializer() {
        super(null);
    }

    /** With a shared client; {@link #configure} then only reads the serde settings. */
    public AvroSerializer(SchemaRegistryClient client) {
        super(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = configureSerde(configs);
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        SchemaRegistryClient client = client();
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("Cannot serialize " + data.getClass().getName() + " for topic '" + topic
                    + "': not an Avro record (SpecificRecord or GenericRecord)");
        }
        Schema schema = container.getSchema();
        String subject = AvroSerdeConfig.subject(topic, isKey);
        int id;
        try {
            id = autoRegister ? client.register(subject, schema) : client.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "Cannot serialize " + schema.getFullName() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
            WireFormat.writeHeader(header, id);
            out.write(header.array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(data, schema).write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + schema.getFullName() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writerFor(Object data, Schema schema) {
        return writers.computeIfAbsent(schema, s -> data instanceof SpecificRecord
                ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass()))
                : new GenericDatumWriter<>(s, GenericData.get()));
    }
}
