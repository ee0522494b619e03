package io.pgsnapman.eventlisteners;

import io.pgsnapman.deadletters.DeadLetterHeaders;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.Failures;
import io.pgsnapman.deadletters.Stage;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How services read events with {@code @KafkaListener}: Avro values (generated classes) behind an
 * {@link ErrorHandlingDeserializer}, so a record that cannot be read does not stop the partition; a record
 * that cannot be read (stage DECODE), or keeps failing after the given retries (stage RUN), is published
 * unchanged to its {@code -dlt} topic with {@link DeadLetterHeaders} (beside Spring Kafka's own
 * {@code kafka_dlt-*} headers) and counted in the service's {@link DeadLetters}. A record that cannot be read
 * for a passing reason (the registry unreachable) is not dead-lettered but read again. Offsets are committed
 * after each record is handled. A service declares both factories as beans (so the producers close with it).
 */
public final class AvroListeners {

    private AvroListeners() {}

    private static Stage stageOf(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeserializationException) {
                return Stage.DECODE;
            }
        }
        return Stage.RUN;
    }

    /** Keys are strings (or null); the template is typed on Object. */
    static final class StringSerializerOfObjects implements Serializer<Object> {
        private final StringSerializer strings = new StringSerializer();

        @Override
        public byte[] serialize(String topic, Object data) {
            return data == null ? null : data instanceof byte[] bytes ? bytes : strings.serialize(topic, data.toString());
        }
    }

    /** Producers of the dead-letter records: original bytes for unreadable records, Avro for the others. */
    public static DefaultKafkaProducerFactory<Object, Object> deadLetterProducers(KafkaProperties kafka) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        AvroSerializer<Object> avro = new AvroSerializer<>();
        avro.configure(producer, false);
        // Undecodable records are republished as their original bytes; records that failed later as Avro.
        DelegatingByTypeSerializer values = new DelegatingByTypeSerializer(
                Map.of(byte[].class, new ByteArraySerializer(), Object.class, avro), true);
        DefaultKafkaProducerFactory<Object, Object> producerFactory = new DefaultKafkaProducerFactory<>(producer);
        producerFactory.setKeySerializer(new StringSerializerOfObjects());
        producerFactory.setValueSerializer(values);
        return producerFactory;
    }

    /**
     * The listener container factory.
     *
     * @param retries attempts after the first before a failing record goes to the dead-letter topic
     */
    public static ConcurrentKafkaListenerContainerFactory<String, Object> containerFactory(KafkaProperties kafka,
            int retries, DefaultKafkaProducerFactory<Object, Object> deadLetterProducers, DeadLetters counts, String consumerName) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        consumer.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, AvroDeserializer.class);
        consumer.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

        KafkaTemplate<Object, Object> deadLetters = new KafkaTemplate<>(deadLetterProducers);
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(deadLetters,
                (record, exception) -> new TopicPartition(DeadLetters.topicFor(record.topic()), -1));
        publisher.setHeadersFunction((record, exception) -> new RecordHeaders(DeadLetterHeaders.describe(stageOf(exception),
                consumerName, record.topic(), record.partition(), record.offset(), exception)));
        ConsumerRecordRecoverer recoverer = (record, exception) -> {
            if (Failures.isPassing(exception)) {
                // Throwing makes the error handler seek back: the record is read again, never dead-lettered.
                throw new IllegalStateException("cannot read " + record.topic() + "-" + record.partition() + "@"
                        + record.offset() + " yet: " + Failures.describe(exception), exception);
            }
            publisher.accept(record, exception);
            counts.counted(record.topic(), stageOf(exception));
        };
        DefaultErrorHandler errors = new DefaultErrorHandler(recoverer, new FixedBackOff(1000L, retries));

        ConcurrentKafkaListenerContainerFactory<String, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer));
        factory.setCommonErrorHandler(errors);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }
}
