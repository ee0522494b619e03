package io.pgsnapman.registry.serde;

import io.pgsnapman.registry.client.SchemaRegistryClient;
import java.util.Map;

/**
 * What {@link AvroSerializer} and {@link AvroDeserializer} share: the registry client, given up front or
 * built from the Kafka client properties in {@code configure}.
 */
abstract class AvroSerde {

    private SchemaRegistryClient client;

    AvroSerde(SchemaRegistryClient client) {
        this.client = client;
    }

    /** Reads the serde settings; builds the registry client unless one was given. */
    AvroSerdeConfig configureSerde(Map<String, ?> configs) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = new SchemaRegistryClient(config.registrySettings());
        }
        return config;
    }

    SchemaRegistryClient client() {
        if (client == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before configure()");
        }
        return client;
    }
}
