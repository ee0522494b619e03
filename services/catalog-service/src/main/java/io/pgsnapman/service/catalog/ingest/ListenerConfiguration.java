package io.pgsnapman.service.catalog.ingest;

import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.eventlisteners.AvroListeners;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/** The catalog's listeners: Avro events, {@code retries} attempts, then the dead-letter topic. */
@Configuration
public class ListenerConfiguration {

    /** The one consumer group of the catalog's listeners. */
    public static final String GROUP = "pgsnapman-catalog";

    @Bean
    DefaultKafkaProducerFactory<Object, Object> deadLetterProducers(KafkaProperties kafka) {
        return AvroListeners.deadLetterProducers(kafka);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, Object> kafkaListenerContainerFactory(KafkaProperties kafka,
            CatalogServiceProperties properties, DefaultKafkaProducerFactory<Object, Object> deadLetterProducers,
            DeadLetters deadLetters) {
        return AvroListeners.containerFactory(kafka, properties.retries(), deadLetterProducers, deadLetters, "catalog-service");
    }
}
