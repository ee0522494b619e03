package io.pgsnapman.service.config.api;

import java.util.List;

/** A request that breaks rules beyond single-field constraints (unknown server, duplicate name, cron). 400. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidRequestException(List<FieldProblem> problems) {
        super(problems.toString());
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
