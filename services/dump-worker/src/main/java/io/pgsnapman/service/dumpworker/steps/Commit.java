package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.worksteps.Step;
import java.time.Clock;
import java.time.Instant;

/**
 * Step 13: commits the staging directory as the dump, its manifest written last (so a dump without one is never
 * complete), and opens it for reading. Another worker's commit of the same dump meanwhile surfaces as
 * {@link io.pgsnapman.repository.DumpAlreadyExistsException}.
 */
final class Commit implements Step<DumpContext> {

    private final DumpRepository repository;
    private final Clock clock;
    private final String workerId;

    Commit(DumpRepository repository, Clock clock, String workerId) {
        this.repository = repository;
        this.clock = clock;
        this.workerId = workerId;
    }

    @Override
    public String name() {
        return "commit";
    }

    @Override
    public void run(DumpContext dump) {
        dump.writer.commit(manifest(dump, Instant.ofEpochMilli(clock.millis()), workerId));
        dump.reader = repository.open(dump.dumpId()).orElseThrow(
                () -> new IllegalStateException("dump " + dump.dumpId() + " is not readable right after its commit"));
    }

    /** The manifest of the dump as the earlier steps found it (files and sizes are the writer's to add). */
    static Manifest manifest(DumpContext dump, Instant finished, String workerId) {
        var facts = dump.facts;
        return Manifest.builder().dumpId(dump.dumpId()).dumpJobId(dump.tick.getDumpJobId())
                .serverId(dump.server.getServerId()).databaseName(dump.spec.getDatabaseName())
                .schemaName(dump.spec.getSchemaName()).dumpType(dump.spec.getDumpType()).format(dump.kind.format())
                .trigger(dump.tick.getTrigger()).scheduledAt(dump.tick.getScheduledAt()).startedAt(dump.started)
                .finishedAt(finished).serverVersion(dump.version.text()).pgDumpVersion(dump.toolVersion)
                .database(facts == null ? null : new Manifest.DatabaseInfo(facts.owner(), facts.encoding(),
                        facts.collate(), facts.ctype(), facts.tablespace(), facts.connectionLimit(), facts.acl(),
                        facts.settings(), facts.sizeBytes()))
                .tables(dump.rows).verified(dump.verify()).pinned(dump.tick.getPin()).workerId(workerId)
                .requestedBy(dump.tick.getRequestedBy()).build();
    }
}
