package io.pgsnapman.service.config.api;

/**
 * One reason a request was refused.
 *
 * @param field  the request field, as a JSON path ({@code autoDumpJob.cron})
 * @param reason why it was refused
 */
public record FieldProblem(String field, String reason) {}
