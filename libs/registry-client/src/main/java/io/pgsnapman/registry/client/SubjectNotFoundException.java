package io.pgsnapman.registry.client;

/** The registry has no subject of that name (nothing was ever registered under it). */
public class SubjectNotFoundException extends SchemaRegistryException {

    private final String subject;

    public SubjectNotFoundException(String subject, String url, String registryMessage) {
        super("Subject '" + subject + "' not found at " + url + ": " + registryMessage, 404);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
