package io.pgsnapman.registry.client;

import java.util.List;

/** No configured registry URL answered (connection refused, DNS failure, time-out, TLS failure). */
public class RegistryUnreachableException extends SchemaRegistryException {

    private final List<String> urls;

    public RegistryUnreachableException(List<String> urls, Throwable cause) {
        super("Schema registry unreachable at " + String.join(", ", urls) + ": " + describe(cause), 0, cause);
        this.urls = List.copyOf(urls);
    }

    /** The URLs that were tried, in order. */
    public List<String> urls() {
        return urls;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
