package io.pgsnapman.service.scheduler;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.scheduler.settings.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads every dump outcome (one scheduler replica each, consumer group {@code pgsnapman-scheduler-fanout})
 * and publishes the restore requests it triggers; the offset is committed only after the broker
 * acknowledged them. Waits for the restore jobs to be loaded first, so none is missed after a restart.
 */
@Component
public class FanOutListener {

    /** The consumer group of the fan-out. */
    static final String GROUP = "pgsnapman-scheduler-fanout";

    private static final Logger log = LoggerFactory.getLogger(FanOutListener.class);

    private final CompactedTopicCache<RestoreJobConfig> restoreJobs;
    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock;
    private final String producer;

    public FanOutListener(CompactedTopicCache<RestoreJobConfig> restoreJobs, KafkaTemplate<String, Object> kafka,
            Clock clock, SchedulerProperties properties) {
        this.restoreJobs = restoreJobs;
        this.kafka = kafka;
        this.clock = clock;
        this.producer = "scheduler-service/" + properties.instanceId();
    }

    @KafkaListener(id = "scheduler-fan-out", topics = "#{T(io.pgsnapman.schemas.Topics).DUMP_COMPLETED.name()}",
            groupId = FanOutListener.GROUP)
    public void onDumpCompleted(DumpCompleted dump) throws Exception {
        if (!restoreJobs.awaitLoaded(Duration.ofMinutes(2))) {
            throw new IllegalStateException("restore jobs not loaded yet; dump " + dump.getDumpId() + " will be retried");
        }
        List<RestoreRequested> requests = FanOut.requestsFor(dump, restoreJobs.values(),
                () -> EventHeaders.following(dump.getHeader(), producer, clock));
        CompletableFuture<?>[] sends = requests.stream()
                .map(r -> kafka.send(Topics.RESTORE_REQUESTED.name(), r.getTargetServerId(), r))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(sends).get(60, TimeUnit.SECONDS);
        if (!requests.isEmpty()) {
            log.info("dump {} fans out to {} restore(s): {}", dump.getDumpId(), requests.size(),
                    requests.stream().map(RestoreRequested::getRestoreRequestId).toList());
        }
    }
}
