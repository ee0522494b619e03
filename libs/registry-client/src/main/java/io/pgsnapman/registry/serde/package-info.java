/**
 * Kafka serializer and deserializer for Avro in the Confluent wire format ({@code 0x00}, 4-byte schema id,
 * Avro binary), configured by {@link io.pgsnapman.registry.serde.AvroSerdeConfig}.
 */
package io.pgsnapman.registry.serde;
