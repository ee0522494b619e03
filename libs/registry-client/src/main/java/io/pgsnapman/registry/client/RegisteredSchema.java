package io.pgsnapman.registry.client;

import org.apache.avro.Schema;

/**
 * One version of a subject as the registry holds it.
 *
 * @param subject subject name
 * @param id      global schema id (the one in the wire format)
 * @param version version within the subject
 * @param schema  the parsed schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {}
