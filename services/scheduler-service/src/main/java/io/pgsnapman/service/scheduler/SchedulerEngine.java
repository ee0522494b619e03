package io.pgsnapman.service.scheduler;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.schedule.SchedulerProgress;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.scheduler.settings.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires cron ticks. The replica that {@link SchedulerLeadership} elects (it owns the progress topic's single
 * partition and has read it to the end, learning the last instant fired per job) is the leader; every tick
 * interval it publishes a {@link DumpRequested} for each due job together with its new progress, in one Kafka
 * transaction. All replicas share one transactional id, so a
 * replica that lost leadership but still publishes is fenced off by the broker. Dump ids are deterministic,
 * so even a tick published twice makes one dump. A job seen for the first time gets its progress recorded at
 * once (no tick): it waits for its next cron instant, and an instant missed after that is caught up. Restore
 * jobs with trigger CRON are scheduled the same way and publish a {@link RestoreRequested} for the latest
 * verified dump of their source job.
 */
public final class SchedulerEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerEngine.class);

    private final CompactedTopicCache<ServerConfig> servers;
    private final CompactedTopicCache<DumpJobConfig> dumpJobs;
    private final CompactedTopicCache<RestoreJobConfig> restoreJobs;
    private final Map<String, Object> producerProperties;
    private final SchedulerLeadership leadership;
    private final Clock clock;
    private final TickPlanner planner;
    private final String producer;
    private final Map<String, Instant> progress = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    private volatile boolean leader;
    private final FleetMeters meters;
    private KafkaProducer<String, Object> publisher;

    public SchedulerEngine(CompactedTopicCache<ServerConfig> servers, CompactedTopicCache<DumpJobConfig> dumpJobs,
            CompactedTopicCache<RestoreJobConfig> restoreJobs, Map<String, Object> consumerProperties, Map<String, Object> producerProperties,
            Deserializer<SchedulerProgress> progressDeserializer, DeadLetters deadLetters, Clock clock, SchedulerProperties properties,
            FleetMeters meters) {
        this.servers = servers;
        this.meters = meters;
        this.dumpJobs = dumpJobs;
        this.restoreJobs = restoreJobs;
        this.producerProperties = new HashMap<>(producerProperties);
        this.producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId());
        this.producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.leadership = new SchedulerLeadership(consumerProperties, progressDeserializer, deadLetters, progress,
                new SchedulerLeadership.Listener() {
                    @Override
                    public void elected() {
                        becomeLeader();
                    }

                    @Override
                    public void deposed(String why) {
                        stepDown(why);
                    }
                });
        this.clock = clock;
        this.planner = new TickPlanner(properties.catchUpGrace());
        this.producer = "scheduler-service/" + properties.instanceId();
    }

    /** Starts taking part in the leader election. */
    public void start() {
        leadership.start();
    }

    public boolean isLeader() {
        return leader;
    }

    private synchronized void becomeLeader() {
        KafkaProducer<String, Object> kafka = new KafkaProducer<>(producerProperties);
        kafka.initTransactions();
        publisher = kafka;
        leader = true;
        log.info("scheduler leader: progress known for {} jobs", progress.size());
    }

    private synchronized void stepDown(String why) {
        if (leader) {
            log.info("no longer scheduler leader: {}", why);
        }
        leader = false;
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(5));
            publisher = null;
        }
    }

    /**
     * One round: publishes every due dump tick and every due cron restore. Called every tick interval; does
     * nothing unless leader and loaded.
     */
    public synchronized int fireDueTicks() {
        if (!leader || publisher == null || !servers.isLoaded() || !dumpJobs.isLoaded() || !restoreJobs.isLoaded()) {
            return 0;
        }
        Instant now = Instant.ofEpochMilli(clock.millis());
        int fired = 0;
        for (DumpJobConfig job : dumpJobs.values()) {
            Optional<TickPlanner.Due> due = dueNow(job.getDumpJobId(), now, last -> planner.due(job, last, now));
            if (due.isPresent() && publish(job, due.get())) {
                fired++;
            }
        }
        for (RestoreJobConfig job : restoreJobs.values()) {
            if (job.getTrigger() != RestoreJobTrigger.CRON) {
                continue;
            }
            Optional<TickPlanner.Due> due = dueNow(job.getRestoreJobId(), now, last -> planner.due(job, last, now));
            if (due.isPresent() && publish(job, due.get())) {
                fired++;
            }
        }
        return fired;
    }

    /**
     * What a job has due now, given the last instant fired. A job seen for the first time fires nothing: its
     * first sight is recorded durably, so an instant missed before its first tick still fires later.
     */
    private Optional<TickPlanner.Due> dueNow(String jobId, Instant now, Function<Instant, Optional<TickPlanner.Due>> plan) {
        Instant last = progress.get(jobId);
        if (last == null) {
            if (firstSeen.putIfAbsent(jobId, now) == null) {
                publishProgress(jobId, now, null);
            }
            return Optional.empty();
        }
        try {
            return plan.apply(last);
        } catch (IllegalArgumentException e) {
            log.warn("job {} has an unusable schedule: {}", jobId, e.getMessage());
            return Optional.empty();
        }
    }

    private void publishProgress(String jobId, Instant at, String dumpId) {
        try {
            publisher.beginTransaction();
            publisher.send(new ProducerRecord<>(Topics.SCHEDULER_PROGRESS.name(), jobId, progressRecord(jobId, at, dumpId,
                    EventHeaders.start(producer, clock))));
            publisher.commitTransaction();
            progress.merge(jobId, at, (a, b) -> a.isAfter(b) ? a : b);
        } catch (ProducerFencedException e) {
            stepDown("fenced by another scheduler");
        } catch (KafkaException e) {
            firstSeen.remove(jobId);
            abort(e);
        }
    }

    private SchedulerProgress progressRecord(String jobId, Instant at, String dumpId, EventHeader header) {
        return SchedulerProgress.newBuilder().setHeader(header).setJobId(jobId).setLastScheduledAt(at)
                .setLastDumpId(dumpId).build();
    }

    private void abort(KafkaException cause) {
        log.warn("scheduler transaction failed, will retry: {}", cause.getMessage());
        try {
            publisher.abortTransaction();
        } catch (KafkaException abortFailed) {
            stepDown("transaction broken: " + abortFailed.getMessage());
        }
    }

    private boolean publish(DumpJobConfig job, TickPlanner.Due due) {
        String dumpId = TickPlanner.dumpId(job.getDumpJobId(), due.scheduledAt());
        Optional<ServerConfig> server = servers.get(job.getServerId());
        EventHeader header = EventHeaders.start(producer, clock);
        List<String> ticked = new ArrayList<>(1);
        boolean published = inTransaction(job.getDumpJobId(), due, dumpId, header, () -> {
            if (server.isPresent() && server.get().getAllowDumps()) {
                publisher.send(new ProducerRecord<>(Topics.SCHEDULE_TICKS.name(), server.get().getServerId(),
                        DumpTicks.tick(job, server.get(), due, dumpId, header)));
                ticked.add(server.get().getName());
            } else {
                log.warn("job {} is due at {} but its server {} is {}: no tick", job.getDumpJobId(), due.scheduledAt(),
                        job.getServerId(), server.isPresent() ? "not allowing dumps" : "unknown");
            }
        });
        if (published) {
            ticked.forEach(name -> meters.counter(Metric.SCHEDULE_TICKS, name).increment());
            log.info("tick {} for server {}{}", dumpId, job.getServerId(), due.catchUp() ? " (catch-up)" : "");
        }
        return published;
    }

    /**
     * A cron restore: asks for the latest verified dump of the job's source dump job (the restore-worker
     * resolves it, or answers REJECTED when there is none). The request id is deterministic per instant.
     */
    private boolean publish(RestoreJobConfig job, TickPlanner.Due due) {
        String requestId = TickPlanner.restoreRequestId(job.getRestoreJobId(), due.scheduledAt());
        EventHeader header = EventHeaders.start(producer, clock);
        RestoreRequested request = FanOut.request(job, requestId, null, RestoreTrigger.CRON, header);
        boolean published = inTransaction(job.getRestoreJobId(), due, null, header, () -> publisher.send(
                new ProducerRecord<>(Topics.RESTORE_REQUESTED.name(), job.getTargetServerId(), request)));
        if (published) {
            log.info("cron restore {} to server {}{}", requestId, job.getTargetServerId(), due.catchUp() ? " (catch-up)" : "");
        }
        return published;
    }

    /** Sends what {@code sends} sends and the job's new progress in one transaction; false if it did not commit. */
    private boolean inTransaction(String jobId, TickPlanner.Due due, String dumpId, EventHeader header, Runnable sends) {
        try {
            publisher.beginTransaction();
            sends.run();
            publisher.send(new ProducerRecord<>(Topics.SCHEDULER_PROGRESS.name(), jobId,
                    progressRecord(jobId, due.scheduledAt(), dumpId, header)));
            publisher.commitTransaction();
        } catch (ProducerFencedException e) {
            stepDown("fenced by another scheduler");
            return false;
        } catch (KafkaException e) {
            abort(e);
            return false;
        }
        progress.merge(jobId, due.scheduledAt(), (a, b) -> a.isAfter(b) ? a : b);
        return true;
    }

    @Override
    public void close() {
        leadership.close();
        stepDown("closed");
    }
}
