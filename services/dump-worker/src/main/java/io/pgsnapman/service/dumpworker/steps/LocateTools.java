package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.pgtools.IncompatibleToolException;
import io.pgsnapman.pgtools.ServerAccess;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;

/** Step 3: picks client tools able to dump the server's version; none is a TOOL_VERSION failure. */
final class LocateTools implements Step<DumpContext> {

    private final ServerAccess servers;

    LocateTools(ServerAccess servers) {
        this.servers = servers;
    }

    @Override
    public String name() {
        return "locate tools";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        try {
            dump.tools = servers.tools(dump.server);
            dump.tools.requireCanDump(dump.version.version(), dump.server.getName());
            dump.toolVersion = dump.tools.version().toString();
        } catch (IncompatibleToolException | IllegalArgumentException | IllegalStateException e) {
            throw StepFailure.failed(FailureCode.TOOL_VERSION.failure(e.getMessage()).build());
        }
    }
}
