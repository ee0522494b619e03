package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.ServerAccess;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Step 2: connects to the server's maintenance database and reads its version and, for a per-database kind, the
 * database's owner, encoding, locale, ACL and settings. A server that cannot be reached fails the dump; facts that
 * cannot be read do not (yet): pg_dump still runs, so the outcome carries the tool's own message (e.g. a database
 * that does not exist).
 */
final class ReadServerFacts implements Step<DumpContext> {

    private final ServerAccess servers;
    private final ServerIntrospector introspector;

    ReadServerFacts(ServerAccess servers, ServerIntrospector introspector) {
        this.servers = servers;
        this.introspector = introspector;
    }

    @Override
    public String name() {
        return "read server facts";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        dump.maintenance = servers.connection(dump.server, dump.server.getMaintenanceDatabase());
        try (Connection c = introspector.connect(dump.maintenance)) {
            dump.version = introspector.serverVersion(c);
            if (dump.kind.perDatabase()) {
                try {
                    dump.facts = introspector.databaseFacts(c, dump.spec.getDatabaseName());
                } catch (SQLException e) {
                    dump.factsFailure = e;
                }
            }
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }
}
