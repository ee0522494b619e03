package io.pgsnapman.deadletters;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the value of a record consumed as raw bytes, record by record, so no record can make
 * {@code poll()} throw: a record that cannot be read for a lasting reason is dead-lettered at
 * {@link Stage#DECODE}; one that cannot be read for a passing reason (see {@link Failures#isPassing}), or that
 * the dead-letter topic did not take, is to be read again later. Every consumer we write ourselves reads
 * through one of these.
 *
 * @param <V> the value type
 */
public final class RecordDecoder<V> {

    private static final Logger log = LoggerFactory.getLogger(RecordDecoder.class);

    /** What became of one record. */
    public sealed interface Result<V> {
        /** Read; the value may be null (a tombstone). */
        record Read<V>(V value) implements Result<V> {}

        /** Not read now: read it again later, and do not move past it. */
        record Later<V>(Throwable cause) implements Result<V> {}

        /** Unreadable for good, and safely in the dead-letter topic: move past it. */
        record DeadLettered<V>() implements Result<V> {}
    }

    private final Deserializer<V> values;
    private final DeadLetters deadLetters;

    public RecordDecoder(Deserializer<V> values, DeadLetters deadLetters) {
        this.values = values;
        this.deadLetters = deadLetters;
    }

    public Result<V> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return new Result.Read<>(values.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            if (Failures.isPassing(e)) {
                log.warn("cannot read {}-{}@{} yet: {}", record.topic(), record.partition(), record.offset(), Failures.describe(e));
                return new Result.Later<>(e);
            }
            try {
                deadLetters.send(Stage.DECODE, record, e);
                return new Result.DeadLettered<>();
            } catch (RuntimeException sendFailed) {
                log.error("cannot dead-letter {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        sendFailed.getMessage());
                return new Result.Later<>(sendFailed);
            }
        }
    }
}
