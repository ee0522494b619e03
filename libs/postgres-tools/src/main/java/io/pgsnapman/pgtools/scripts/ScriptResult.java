package io.pgsnapman.pgtools.scripts;

/**
 * How a script ended, its output already capped and redacted.
 *
 * @param exitCode its exit code (-1 when it was killed on time-out)
 * @param timedOut whether it ran past the timeout and was killed with its children
 * @param stdout   the last part of what it wrote on standard output that was not a progress line
 * @param stderr   the last part of its standard error
 */
public record ScriptResult(int exitCode, boolean timedOut, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** What to show for a failure: standard error, else the tail of standard output; null when both are empty. */
    public String excerpt() {
        String text = stderr != null && !stderr.isBlank() ? stderr : stdout;
        return text == null || text.isBlank() ? null : text.strip();
    }
}
