package io.pgsnapman.service.catalog.api;

import java.time.Instant;

/** One restore as the catalog knows it: the request, where to, and how it ended. */
public record RestoreEntry(
        String restoreRequestId,
        String dumpId,
        String targetServerId,
        String targetDatabaseName,
        String outcome,
        String trigger,
        String restoreJobId,
        Instant startedAt,
        Instant finishedAt,
        long restoredBytes,
        String previousDatabaseRenamedTo,
        Boolean rowCountsMatch,
        String failureReason,
        String failureCode,
        String failureField,
        String workerId,
        Instant catalogedAt) {}
