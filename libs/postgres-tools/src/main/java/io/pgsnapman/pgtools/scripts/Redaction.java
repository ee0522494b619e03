package io.pgsnapman.pgtools.scripts;

import java.util.regex.Pattern;

/**
 * Takes what looks like a password out of a script's captured output before it reaches an event or a log: the
 * password the script was given (wherever it appears), {@code password=...}-like settings, and the secret of a
 * {@code scheme://user:secret@host} URL. A safety net for careless scripts, not a guarantee for arbitrary output.
 */
public final class Redaction {

    /** What stands where a secret was. */
    public static final String MARK = "[redacted]";

    private static final Pattern SETTING = Pattern.compile(
            "(?i)((?:pg)?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key)[\"']?\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Pattern URL_SECRET = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^\\s/:@]+:)[^\\s/@]+@");

    private Redaction() {}

    /** {@code text} without {@code password} (may be null) and without anything that looks like a secret. */
    public static String redact(String text, String password) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (password != null && !password.isEmpty()) {
            out = out.replace(password, MARK);
        }
        out = SETTING.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + MARK));
        return URL_SECRET.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + MARK + "@"));
    }
}
