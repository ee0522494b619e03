package io.pgsnapman.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldLeasesTest {

    /** A lease that renews until told it was taken over. */
    private static final class FakeLease implements Lease {
        boolean takenOver;
        int renewals;
        boolean released;

        @Override
        public String name() {
            return "dumps/x";
        }

        @Override
        public void renew() {
            if (takenOver) {
                throw new IllegalStateException("taken over");
            }
            renewals++;
        }

        @Override
        public void close() {
            released = true;
        }
    }

    @Test
    void renewingKeepsTheWorkGoing() {
        HeldLeases leases = HeldLeases.renewedByHand();
        FakeLease lease = new FakeLease();
        HeldLeases.Holding holding = leases.hold(List.of(lease));

        leases.renewAll();
        leases.renewAll();

        assertThat(lease.renewals).isEqualTo(2);
        assertThat(holding.lost()).isFalse();
    }

    @Test
    void aLeaseTakenOverMarksItsWorkLostAndInterruptsItsThread() throws Exception {
        // Given work attached to its thread, waiting as a running pg_dump would
        HeldLeases leases = HeldLeases.renewedByHand();
        FakeLease lease = new FakeLease();
        HeldLeases.Holding holding = leases.hold(List.of(lease));
        List<String> seen = new ArrayList<>();
        Thread work = new Thread(() -> {
            try (HeldLeases.Holding attached = holding.attach()) {
                synchronized (this) {
                    wait(60_000);
                }
                seen.add("finished");
            } catch (InterruptedException e) {
                seen.add("interrupted");
            }
            seen.add("interrupt cleared: " + !Thread.currentThread().isInterrupted());
        });
        work.start();
        while (work.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }

        // When another worker takes the lease over and the renewal notices
        lease.takenOver = true;
        leases.renewAll();
        work.join(10_000);

        // Then the work was interrupted, knows it lost the lease, released it, and no longer counts as held
        assertThat(seen).containsExactly("interrupted", "interrupt cleared: true");
        assertThat(holding.lost()).isTrue();
        assertThat(lease.released).isTrue();
        assertThat(leases.heldCount()).isZero();
    }

    @Test
    void workAttachingAfterItsLeaseWasLostIsInterruptedAtOnce() {
        HeldLeases leases = HeldLeases.renewedByHand();
        FakeLease lease = new FakeLease();
        HeldLeases.Holding holding = leases.hold(List.of(lease));
        lease.takenOver = true;
        leases.renewAll();

        boolean interrupted;
        try (HeldLeases.Holding attached = holding.attach()) {
            interrupted = Thread.currentThread().isInterrupted();
        }

        assertThat(interrupted).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
