package io.pgsnapman.service.catalog.api;

import java.time.Instant;

/** One restore as the catalog knows it: the request, where to, how it ended, and after how many attempts. */
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
        int attempts,
        Instant catalogedAt) {}
