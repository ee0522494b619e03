package io.pgsnapman.service.catalog.notify;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes what looks like a secret from text before it leaves in a notification: {@code password=…} and
 * {@code PGPASSWORD=…} settings, the password of a {@code postgres://user:password@host} URI, and bearer tokens.
 * Events never carry a password; this guards tool output quoted in a failure (a connection string a user wrote).
 */
public final class Redaction {

    static final String HIDDEN = "***";

    private static final List<Pattern> SECRETS = List.of(
            Pattern.compile("(?i)((?:pg)?password\\s*[=:]\\s*)('[^']*'|\"[^\"]*\"|[^\\s;,]+)"),
            Pattern.compile("(?i)(postgres(?:ql)?://[^:/@\\s]+:)([^@\\s]+)(@)"),
            Pattern.compile("(?i)(bearer\\s+)([A-Za-z0-9._~+/=-]{8,})"));

    private Redaction() {}

    /** The text with every secret-looking value replaced by {@value #HIDDEN}; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        String cleaned = text;
        for (Pattern secret : SECRETS) {
            cleaned = secret.matcher(cleaned).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + HIDDEN
                    + (m.groupCount() >= 3 && m.group(3) != null ? m.group(3) : "")));
        }
        return cleaned;
    }
}
