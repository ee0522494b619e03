package io.pgsnapman.service.config.outbox;

import io.pgsnapman.schemas.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends an event to the outbox inside the caller's transaction: it is published if and only if that
 * transaction commits. The value is kept as Avro binary of its generated class (no registry needed here).
 */
@Component
public class OutboxWriter {

    private final JdbcClient jdbc;
    private final OutboxRelay relay;

    public OutboxWriter(JdbcClient jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
    }

    /** Queues {@code value} (or a tombstone when null) for the topic under the key. */
    @Transactional(propagation = Propagation.MANDATORY)
    public <V extends SpecificRecord> void append(TopicSpec<V> topic, String key, V value) {
        jdbc.sql("INSERT INTO outbox (topic, record_key, value_class, payload) VALUES (:topic, :key, :type, :payload)")
                .param("topic", topic.name())
                .param("key", key)
                .param("type", topic.valueType().getName())
                .param("payload", value == null ? null : encode(value))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.nudge();
            }
        });
    }

    static byte[] encode(SpecificRecord value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(value.getSchema(), SpecificData.getForClass(value.getClass()))
                    .write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + value.getSchema().getFullName(), e);
        }
    }
}
