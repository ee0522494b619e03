package io.pgsnapman.service.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DumpTicksTest {

    private static final ServerConfig SERVER = SampleEvents.serverConfig();
    private static final EventHeader HEADER = SampleEvents.header();
    /** 23:00 in New York, inside the sample job's 23:00-04:00 window. */
    private static final Instant AT = Instant.parse("2026-03-10T03:00:00Z");

    @Test
    void aJobWithABackupWindowGetsTheSameDelayEveryTimeItsTickIsFired() {
        // Given the sample job, whose backup window is 23:00-04:00 in New York
        DumpJobConfig job = SampleEvents.dumpJobConfig();
        TickPlanner.Due due = new TickPlanner.Due(AT, false);
        String dumpId = TickPlanner.dumpId(job.getDumpJobId(), AT);

        // When its tick is made twice (a re-fired tick)
        DumpRequested first = DumpTicks.tick(job, SERVER, due, dumpId, HEADER);
        DumpRequested again = DumpTicks.tick(job, SERVER, due, dumpId, HEADER);

        // Then both wait until the same instant, inside the window
        assertThat(first.getNotBefore()).isNotNull().isEqualTo(again.getNotBefore()).isAfter(AT);
        LocalTime local = first.getNotBefore().atZone(ZoneId.of("America/New_York")).toLocalTime();
        assertThat(local.isAfter(LocalTime.of(22, 59)) || local.isBefore(LocalTime.of(4, 0))).as(local.toString()).isTrue();
    }

    @Test
    void aJobWithoutABackupWindowRunsAtOnceAsACronTickOfItsServerAndPool() {
        DumpJobConfig job = DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig()).setBackupWindow(null).build();

        DumpRequested tick = DumpTicks.tick(job, SERVER, new TickPlanner.Due(AT, true), "job/1", HEADER);

        assertThat(tick.getNotBefore()).isNull();
        assertThat(tick.getTrigger()).isEqualTo(DumpTrigger.CRON);
        assertThat(tick.getCatchUp()).isTrue();
        assertThat(tick.getScheduledAt()).isEqualTo(AT);
        assertThat(tick.getServerId()).isEqualTo(SERVER.getServerId());
        assertThat(tick.getWorkerPool()).isEqualTo(SERVER.getWorkerPool());
        assertThat(tick.getSpec()).isEqualTo(job.getSpec());
        assertThat(tick.getVerify()).isEqualTo(job.getVerify());
    }
}
