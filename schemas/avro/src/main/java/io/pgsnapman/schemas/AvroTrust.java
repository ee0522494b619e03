package io.pgsnapman.schemas;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The one place that tells Avro (1.12+) which generated classes it may instantiate. Avro refuses classes
 * outside trusted packages — when reading specific records, and also when a generated builder fills in an
 * enum or record default — so every JVM that uses the event classes calls {@link #trustEventClasses()}
 * first ({@link Topics} and the Avro deserializer do). This adds to whatever the JVM already trusts (its
 * system properties and defaults stay in force). Idempotent and thread-safe.
 */
public final class AvroTrust {

    private static final Set<String> PACKAGE_PREFIXES = ConcurrentHashMap.newKeySet();
    private static boolean installed;

    /** Package of the generated event classes. */
    public static final String EVENTS_PACKAGE = "io.pgsnapman.events";

    private AvroTrust() {}

    /** Trusts the generated event classes ({@value #EVENTS_PACKAGE} and below). */
    public static void trustEventClasses() {
        trustPackages(List.of(EVENTS_PACKAGE));
    }

    /** Trusts generated classes in these packages and their sub-packages. */
    public static synchronized void trustPackages(Collection<String> packages) {
        for (String name : packages) {
            String trimmed = name.strip();
            if (!trimmed.isEmpty()) {
                PACKAGE_PREFIXES.add(trimmed.endsWith(".") ? trimmed : trimmed + ".");
            }
        }
        if (!installed) {
            ClassSecurityValidator.setGlobal(
                    ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), AvroTrust::isTrusted));
            installed = true;
        }
    }

    static boolean isTrusted(Class<?> type) {
        String name = type.getName();
        return PACKAGE_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
