package io.pgsnapman.service.catalog.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.VerificationServer;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerChoiceTest {

    private static final long GB = 1L << 30;

    private static ServerConfig plain(String id) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setVerification(null).build();
    }

    private static ServerConfig verifier(String id, int major, long budget, int cap) {
        return ServerConfig.newBuilder(plain(id)).setVerification(VerificationServer.newBuilder()
                .setMajorVersion(major).setDiskBudgetBytes(budget).setMaxConcurrent(cap).build()).build();
    }

    private static String chosen(ServerChoice.Decision decision) {
        assertThat(decision).isInstanceOf(ServerChoice.Start.class);
        return ((ServerChoice.Start) decision).server().getServerId();
    }

    @Test
    void aDumpGoesToAServerOfItsSourcesMajorVersionBeforeANewerOne() {
        List<ServerConfig> servers = List.of(verifier("v17", 17, 100 * GB, 2), verifier("v15", 15, 100 * GB, 2),
                verifier("v16", 16, 100 * GB, 2), plain("prod"));

        assertThat(chosen(ServerChoice.decide(servers, "15.8 (Debian 15.8-1)", GB, List.of()))).isEqualTo("v15");
        assertThat(chosen(ServerChoice.decide(servers, "14.12", GB, List.of()))).isEqualTo("v15");
    }

    @Test
    void aBusyServerOfTheRightVersionIsWaitedForNotSwappedForAnotherVersion() {
        List<ServerConfig> servers = List.of(verifier("v15", 15, 100 * GB, 1), verifier("v16", 16, 100 * GB, 1));

        ServerChoice.Decision decision = ServerChoice.decide(servers, "15.8", GB,
                List.of(new ServerChoice.Running("v15", GB)));

        assertThat(decision).isInstanceOf(ServerChoice.Wait.class);
    }

    @Test
    void theDiskBudgetLeftDecidesBetweenServersAndMakesADumpWait() {
        List<ServerConfig> servers = List.of(verifier("a", 15, 10 * GB, 3), verifier("b", 15, 10 * GB, 3));
        List<ServerChoice.Running> running = List.of(new ServerChoice.Running("a", 2 * GB), new ServerChoice.Running("b", 7 * GB));

        assertThat(chosen(ServerChoice.decide(servers, "15.8", 4 * GB, running))).isEqualTo("a");
        assertThat(ServerChoice.decide(servers, "15.8", 9 * GB, running)).isInstanceOf(ServerChoice.Wait.class);
    }

    @Test
    void aDumpNoBudgetCanHoldOrNoServerIsNewEnoughForIsSkippedWithTheReason() {
        List<ServerConfig> servers = List.of(verifier("small", 15, GB, 1));

        assertThat(ServerChoice.decide(servers, "15.8", 2 * GB, List.of())).isEqualTo(new ServerChoice.Skip(
                "needs 2147483648 bytes for its scratch database; the largest disk budget of a suitable verification server"
                        + " is 1073741824 bytes"));
        assertThat(ServerChoice.decide(servers, "16.4", 1, List.of()))
                .isEqualTo(new ServerChoice.Skip("no verification server runs PostgreSQL 16 or newer"));
        assertThat(ServerChoice.decide(List.of(plain("prod")), "15.8", 1, List.of()))
                .isEqualTo(new ServerChoice.Skip("no verification server is configured"));
    }

    @Test
    void aLargerNewerServerTakesADumpTooLargeForTheSameVersionsBudget() {
        List<ServerConfig> servers = List.of(verifier("v15", 15, GB, 1), verifier("v16", 16, 50 * GB, 1));

        assertThat(chosen(ServerChoice.decide(servers, "15.8", 5 * GB, List.of()))).isEqualTo("v16");
    }
}
