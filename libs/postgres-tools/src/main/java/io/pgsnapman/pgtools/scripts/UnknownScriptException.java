package io.pgsnapman.pgtools.scripts;

/** A script name that does not lead to an executable file inside the scripts directory; the message says why. */
public final class UnknownScriptException extends Exception {

    public UnknownScriptException(String reason) {
        super(reason);
    }
}
