package io.pgsnapman.schemas;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of the event contract: its name, its key (always a string, the value's {@code keyField}),
 * its Avro value type, its cleanup policy, and the retention it asks for. Obtain instances from
 * {@link Topics}; nothing else spells a topic name.
 *
 * @param name      full topic name, {@code pgsnapman.*}
 * @param keyField  the value's field whose content is the record key
 * @param valueType generated Avro class of the value
 * @param cleanup   compact or delete
 * @param retention how long records are kept, or {@code null} for the broker's default
 * @param fixedPartitions partitions the topic must have regardless of configuration, or {@code null}
 * @param <V>       value type
 */
public record TopicSpec<V extends SpecificRecord>(
        String name, String keyField, Class<V> valueType, CleanupPolicy cleanup, Duration retention,
        Integer fixedPartitions) {

    public TopicSpec(String name, String keyField, Class<V> valueType, CleanupPolicy cleanup, Duration retention) {
        this(name, keyField, valueType, cleanup, retention, null);
    }

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyField, "keyField");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanup, "cleanup");
    }

    /** Keys of every topic are plain strings (UTF-8, Kafka's {@code StringSerializer}). */
    public Class<String> keyType() {
        return String.class;
    }

    /** The dead-letter topic for records of this topic that cannot be read or processed. */
    public String deadLetterTopic() {
        return name + Topics.DEAD_LETTER_SUFFIX;
    }

    /** Schema-registry subject of the value under the topic-name strategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /** The value's Avro schema, as generated. */
    public Schema valueSchema() {
        return SpecificData.get().getSchema(valueType);
    }

    /** Partitions the topic must have (e.g. 1 where one consumer must see everything in order), if fixed. */
    public Optional<Integer> partitionsOverride() {
        return Optional.ofNullable(fixedPartitions);
    }

    /** Retention of the topic, when it differs from the broker default. */
    public Optional<Duration> retentionOverride() {
        return Optional.ofNullable(retention);
    }
}
