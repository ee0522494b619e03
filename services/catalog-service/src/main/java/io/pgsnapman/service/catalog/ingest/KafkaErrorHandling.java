package io.pgsnapman.service.catalog.ingest;

import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the catalog reads events: Avro values behind an {@link ErrorHandlingDeserializer}, so a record that
 * cannot be read does not stop the partition; a record that cannot be read or keeps failing after the
 * configured retries is published, unchanged, to its {@code -dlt} topic with the error in the headers
 * (Spring Kafka's {@code kafka_dlt-*} headers); offsets are committed after each record is handled.
 */
@Configuration
public class KafkaErrorHandling {

    /** Keys are strings (or null); the template is typed on Object. */
    static final class StringSerializerOfObjects implements Serializer<Object> {
        private final StringSerializer strings = new StringSerializer();

        @Override
        public byte[] serialize(String topic, Object data) {
            return data == null ? null : data instanceof byte[] bytes ? bytes : strings.serialize(topic, data.toString());
        }
    }

    /** Producers of the dead-letter records; a bean, so they are closed with the application. */
    @Bean
    DefaultKafkaProducerFactory<Object, Object> deadLetterProducers(KafkaProperties kafka) {
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

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, Object> kafkaListenerContainerFactory(KafkaProperties kafka,
            CatalogServiceProperties properties, DefaultKafkaProducerFactory<Object, Object> deadLetterProducers) {
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        consumer.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, AvroDeserializer.class);
        consumer.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

        KafkaTemplate<Object, Object> deadLetters = new KafkaTemplate<>(deadLetterProducers);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(deadLetters,
                (record, exception) -> new TopicPartition(
                        Topics.byName(record.topic()).map(t -> t.deadLetterTopic()).orElse(record.topic() + Topics.DEAD_LETTER_SUFFIX),
                        -1));
        // The most specific cause (e.g. "not in the Confluent Avro wire format") beside Spring's kafka_dlt-* headers.
        recoverer.setHeadersFunction((record, exception) -> new RecordHeaders(List.of(new RecordHeader(
                "pgsnapman-dlt-message", String.valueOf(NestedExceptionUtils.getMostSpecificCause(exception).getMessage())
                        .getBytes(StandardCharsets.UTF_8)))));
        DefaultErrorHandler errors = new DefaultErrorHandler(recoverer, new FixedBackOff(1000L, properties.retries()));

        ConcurrentKafkaListenerContainerFactory<String, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer));
        factory.setCommonErrorHandler(errors);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }
}
