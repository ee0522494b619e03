package io.pgsnapman.service.catalog.api;

import java.time.Instant;

/**
 * Which dumps to list; every field is optional and they combine with AND. Times compare with the dump's
 * scheduled instant: {@code from} inclusive, {@code to} exclusive.
 */
public record DumpFilter(String serverId, String databaseName, String dumpJobId, String outcome, Instant from, Instant to) {}
