package io.pgsnapman.pgtools.scripts;

import io.pgsnapman.events.Failure;
import io.pgsnapman.schemas.FailureCode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs scripts as one worker does: names looked up in its scripts directory, its runner, its script timeout; a script
 * that cannot run or fails becomes a {@link Failure} naming the job field it came from: UNKNOWN_SCRIPT, SCRIPT_TIMEOUT,
 * and for a non-zero exit SCRIPT_FAILED (a job's script) or HOOK_FAILED (a hook), with the redacted output.
 */
public final class ScriptCalls {

    private final ScriptDirectory directory;
    private final ScriptRunner runner;
    private final Duration timeout;

    public ScriptCalls(ScriptDirectory directory, ScriptRunner runner, Duration timeout) {
        this.directory = directory;
        this.runner = runner;
        this.timeout = timeout;
    }

    /** Runs the script; empty when it exited with 0, else why it did not succeed. */
    public Optional<Failure> run(ScriptRun run) {
        Path script;
        try {
            script = directory.resolve(run.name());
        } catch (UnknownScriptException e) {
            return Optional.of(FailureCode.UNKNOWN_SCRIPT.failure(e.getMessage()).setField(run.phase().scriptField()).build());
        }
        ScriptResult result;
        try {
            result = runner.run(script, run, timeout);
        } catch (UncheckedIOException e) {
            return Optional.of((run.phase().hook() ? FailureCode.HOOK_FAILED : FailureCode.SCRIPT_FAILED)
                    .failure(e.getMessage()).setField(run.phase().scriptField()).build());
        }
        return failure(run, result, timeout);
    }

    /** Why a finished run failed, if it did. */
    static Optional<Failure> failure(ScriptRun run, ScriptResult result, Duration timeout) {
        if (result.succeeded()) {
            return Optional.empty();
        }
        String what = run.phase().hook() ? run.phase().label() + " hook script '" + run.name() + "'"
                : run.phase().label() + " script '" + run.name() + "'";
        FailureCode code = result.timedOut() ? FailureCode.SCRIPT_TIMEOUT
                : run.phase().hook() ? FailureCode.HOOK_FAILED : FailureCode.SCRIPT_FAILED;
        String reason = result.timedOut() ? what + " ran longer than " + timeout + " and was killed"
                : what + " exited with " + result.exitCode();
        return Optional.of(code.failure(reason).setField(run.phase().scriptField()).setExitCode(result.exitCode())
                .setStderrExcerpt(result.excerpt()).build());
    }
}
