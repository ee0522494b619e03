package io.pgsnapman.deadletters;

import io.pgsnapman.registry.client.RegistryUnreachableException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure that may pass by itself (the registry or the broker unreachable for a while) from one
 * that never will (bytes that are not a record, a schema id the registry does not know). A consumer retries
 * a record that failed for a passing reason and dead-letters one that failed for a lasting one, so a
 * registry outage never sends good records to a dead-letter topic.
 */
public final class Failures {

    private Failures() {}

    /** Whether anything in the cause chain says the failure may pass on its own. */
    public static boolean isPassing(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnreachableException || t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** The distinct messages of the cause chain, outermost first, joined by {@code ": "}. */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    /** The innermost cause, which usually names what was wrong. */
    public static Throwable mostSpecific(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
