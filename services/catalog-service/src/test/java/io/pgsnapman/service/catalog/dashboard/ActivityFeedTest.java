package io.pgsnapman.service.catalog.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ActivityFeedTest {

    private static ActivityEntry entry(int n) {
        return new ActivityEntry("e" + n, Instant.EPOCH.plusSeconds(n), "dump-worker/w1", "STATE", "INFO", "DUMP", "d" + n,
                "srv-1", "job-1", "dump started", null, null, null, null);
    }

    /** A feed that is never started: nothing is read from Kafka, events are handed in by the test. */
    private static ActivityFeed feed(int keep) {
        return new ActivityFeed(Map.of(), null, null, keep);
    }

    @Test
    void theFeedKeepsTheLatestEventsOldestFirst() {
        ActivityFeed feed = feed(10);

        for (int n = 1; n <= 25; n++) {
            feed.publish(entry(n));
        }

        assertThat(feed.recent()).extracting(ActivityEntry::eventId)
                .containsExactly("e16", "e17", "e18", "e19", "e20", "e21", "e22", "e23", "e24", "e25");
    }

    @Test
    void everySubscriberGetsEachNewEventAndOneThatFailsIsDropped() {
        ActivityFeed feed = feed(10);
        List<String> seen = new ArrayList<>();
        Consumer<ActivityEntry> closedPage = e -> {
            throw new IllegalStateException("stream closed");
        };
        feed.subscribe(e -> seen.add(e.eventId()));
        feed.subscribe(closedPage);

        feed.publish(entry(1));
        feed.publish(entry(2));

        assertThat(seen).containsExactly("e1", "e2");
        assertThat(feed.subscriberCount()).isEqualTo(1);
    }
}
