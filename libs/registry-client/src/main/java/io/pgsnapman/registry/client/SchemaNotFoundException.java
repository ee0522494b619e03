package io.pgsnapman.registry.client;

/** The registry knows no schema with that id, or the schema is not registered under the subject. */
public class SchemaNotFoundException extends SchemaRegistryException {

    private SchemaNotFoundException(String message) {
        super(message, 404);
    }

    static SchemaNotFoundException forId(int id, String url, String registryMessage) {
        return new SchemaNotFoundException("Schema id " + id + " not found at " + url + ": " + registryMessage);
    }

    static SchemaNotFoundException forSubject(String subject, String url, String registryMessage) {
        return new SchemaNotFoundException(
                "Schema not registered under subject '" + subject + "' at " + url + ": " + registryMessage);
    }
}
