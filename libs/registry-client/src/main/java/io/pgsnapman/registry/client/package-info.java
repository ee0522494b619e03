/**
 * A client for the Confluent Schema Registry REST API ({@link io.pgsnapman.registry.client.SchemaRegistryClient})
 * and the exceptions that say what went wrong and where.
 */
package io.pgsnapman.registry.client;
