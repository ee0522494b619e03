package io.pgsnapman.registry.client;

/** The registry refused a schema because it breaks the subject's compatibility rule. */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;
    private final String registryMessage;

    public IncompatibleSchemaException(String subject, String url, String registryMessage) {
        super("Schema incompatible with subject '" + subject + "' at " + url + ": " + registryMessage, 409);
        this.subject = subject;
        this.registryMessage = registryMessage;
    }

    public String subject() {
        return subject;
    }

    /** What the registry said, verbatim. */
    public String registryMessage() {
        return registryMessage;
    }
}
