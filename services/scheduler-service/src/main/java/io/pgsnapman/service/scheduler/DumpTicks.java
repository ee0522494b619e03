package io.pgsnapman.service.scheduler;

import io.pgsnapman.cron.BackupWindow;
import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpTrigger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;

/** The tick a due dump job fires: a pure function of the job, its server and the instant. */
final class DumpTicks {

    private DumpTicks() {}

    /**
     * The cron tick for {@code dumpId}. With a backup window, the tick is delayed to a random instant inside it
     * ({@code notBefore}), seeded by the dump id so that a re-fired tick gets the same delay.
     */
    static DumpRequested tick(DumpJobConfig job, ServerConfig server, TickPlanner.Due due, String dumpId,
            EventHeader header) {
        Instant notBefore = null;
        if (job.getBackupWindow() != null) {
            BackupWindow window = BackupWindow.of(job.getBackupWindow().getStart(), job.getBackupWindow().getEnd(),
                    ZoneId.of(job.getTimeZone()));
            Instant delayed = window.delayed(due.scheduledAt(), new SplittableRandom(dumpId.hashCode()));
            notBefore = delayed.equals(due.scheduledAt()) ? null : delayed;
        }
        return DumpRequested.newBuilder()
                .setHeader(header)
                .setDumpId(dumpId)
                .setDumpJobId(job.getDumpJobId())
                .setServerId(server.getServerId())
                .setWorkerPool(server.getWorkerPool())
                .setSpec(job.getSpec())
                .setTrigger(DumpTrigger.CRON)
                .setScheduledAt(due.scheduledAt())
                .setNotBefore(notBefore)
                .setCatchUp(due.catchUp())
                .setVerify(job.getVerify())
                .setDedup(job.getDedup())
                .build();
    }
}
