package io.pgsnapman.cli;

import tools.jackson.databind.JsonNode;

/**
 * A failure the CLI reports in one line and an exit code: 1 the work failed (a dump or restore FAILED or
 * REJECTED), 2 bad usage, 3 not found, 4 refused (invalid request, missing or insufficient token),
 * 5 PgSnapMan unreachable.
 */
final class CliException extends RuntimeException {

    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int REFUSED = 4;
    static final int UNREACHABLE = 5;

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** An HTTP error answer, with the API's field-by-field reasons when it gives them. */
    static CliException fromAnswer(String what, int status, String body) {
        StringBuilder message = new StringBuilder(what + ": HTTP " + status);
        try {
            JsonNode json = Api.JSON.readTree(body);
            if (json.hasNonNull("message")) {
                message.append(": ").append(json.get("message").asString());
            } else if (json.hasNonNull("detail")) {
                message.append(": ").append(json.get("detail").asString());
            }
            if (json.has("errors")) {
                for (JsonNode error : json.get("errors")) {
                    message.append("\n  ").append(error.path("field").asString("?")).append(": ")
                            .append(error.path("reason").asString(error.toString()));
                }
            }
        } catch (RuntimeException notJson) {
            if (body != null && !body.isBlank()) {
                message.append(": ").append(body.strip());
            }
        }
        int code = status == 404 ? NOT_FOUND : status == 401 || status == 403 || status < 500 ? REFUSED : FAILED;
        if (status == 401) {
            message.append("\n  (no or unknown token: set PGSNAPMAN_TOKEN or token= in the config file)");
        }
        return new CliException(code, message.toString());
    }
}
