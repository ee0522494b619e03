package io.pgsnapman.service.restoreworker;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.metrics.OutcomeMeters;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.HeldLeases;
import io.pgsnapman.repository.Lease;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import io.pgsnapman.workconsumer.WorkConsumer;
import io.pgsnapman.workconsumer.WorkerProducers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes restore requests of one purpose for this worker's pool on a {@link WorkConsumer}: one restore at a time
 * per target server (in request order), up to {@code maxConcurrentRestores} (test restores:
 * {@code maxConcurrentVerifications}) targets at once, whatever partitions their requests are on. Each purpose has
 * its own consumer group ({@link #groupId}), so a queue of test restores never delays a restore; each group
 * dead-letters what it cannot read. A request's offset is committed after its {@link RestoreCompleted} was
 * acknowledged. A request id already answered is answered again with the same outcome (idempotency key); a lease
 * per request id keeps two workers from running it at once. Requests for unknown target servers are answered
 * REJECTED by the {@code default} pool only, once {@code unknownTargetGrace} has passed since they were made (a
 * server created just before the request may reach the worker later).
 * Answers are kept for good in the repository ({@link RestoreAnswers}) before they are published. A worker whose
 * lease is taken over stops the restore (its pg_restore is killed, its temporary database dropped) and
 * publishes nothing.
 * A restore that FAILED with a retriable failure is tried again as {@link RetryPolicy} says, before answering.
 */
final class RequestConsumer implements AutoCloseable, WorkConsumer.Dispatcher<RestoreRequested> {

    private static final Logger log = LoggerFactory.getLogger(RequestConsumer.class);

    private final Producer<String, Object> producer;
    private final CompactedTopicCache<ServerConfig> servers;
    private final CompactedTopicCache<RestoreJobConfig> restoreJobs;
    private final RestoreAnswers answers;
    private final DumpRepository repository;
    private final RestoreValidator validator;
    private final RestoreExecutor executor;
    private final RestoreWorkerProperties properties;
    private final HeldLeases leases;
    private final RetryPolicy retries;
    private final RestorePurpose purpose;
    private final OutcomeMeters meters;
    private final WorkConsumer<RestoreRequested> consumer;
    private final TargetChanges targetChanges = new TargetChanges();

    /**
     * @param purpose the requests this consumer takes; the others on the topic are skipped (the other purpose's
     *                consumer group takes them)
     */
    RequestConsumer(RestorePurpose purpose, Map<String, Object> consumerProperties, Deserializer<RestoreRequested> deserializer,
            Producer<String, Object> producer, DeadLetters deadLetters, CompactedTopicCache<ServerConfig> servers,
            CompactedTopicCache<RestoreJobConfig> restoreJobs, DumpRepository repository, RestoreValidator validator,
            RestoreExecutor executor, RestoreWorkerProperties properties, OutcomeMeters meters) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(purpose, properties.workerPool()));
        this.purpose = purpose;
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.producer = producer;
        this.servers = servers;
        this.restoreJobs = restoreJobs;
        this.answers = new RestoreAnswers(repository);
        servers.addListener((serverId, before, after) -> targetChanges.changed(serverId));
        this.repository = repository;
        this.validator = validator;
        this.executor = executor;
        this.properties = properties;
        this.leases = new HeldLeases(properties.leaseStaleAfter());
        this.retries = RetryPolicy.of(properties);
        this.meters = meters;
        this.consumer = new WorkConsumer<>(
                () -> (Consumer<String, byte[]>) new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()),
                deserializer, deadLetters,
                new WorkConsumer.Settings(Topics.RESTORE_REQUESTED.name(), purpose == RestorePurpose.VERIFY
                        ? properties.maxConcurrentVerifications() : properties.maxConcurrentRestores(), properties.failures()),
                this);
    }

    /** The consumer group of a purpose in a pool: restores and test restores never wait for one another. */
    static String groupId(RestorePurpose purpose, String workerPool) {
        return GROUP_PREFIX + workerPool + (purpose == RestorePurpose.VERIFY ? "-verify" : "");
    }

    /** What the consumer groups of every pool's restore workers start with. */
    static final String GROUP_PREFIX = "pgsnapman-restore-worker-";

    void start() {
        consumer.start();
    }

    /** Requests of this consumer's purpose running now. */
    int runningCount() {
        return consumer.runningCount();
    }

    @Override
    public String exclusiveKey(ConsumerRecord<String, RestoreRequested> record) {
        return record.value() == null ? null : "target:" + record.value().getTargetServerId();
    }

    @Override
    public WorkConsumer.Triage triage(ConsumerRecord<String, RestoreRequested> record) {
        RestoreRequested request = record.value();
        if (request == null || request.getPurpose() != purpose) {
            return WorkConsumer.Triage.SKIP;
        }
        if (!servers.isLoaded()) {
            return WorkConsumer.Triage.WAIT;
        }
        Optional<ServerConfig> target = servers.get(request.getTargetServerId());
        boolean mine = target.isPresent()
                ? properties.workerPool().equals(target.get().getWorkerPool())
                : "default".equals(properties.workerPool());
        if (mine && target.isEmpty() && !olderThanGrace(request)) {
            return WorkConsumer.Triage.WAIT; // the server's configuration may still be on its way (another topic)
        }
        if (mine && purpose != RestorePurpose.VERIFY && request.getRestoreJobId() != null
                && (!restoreJobs.isLoaded() || restoreJobs.get(request.getRestoreJobId()).isEmpty() && !olderThanGrace(request))) {
            return WorkConsumer.Triage.WAIT; // so is the restore job's, with its hooks
        }
        return mine ? WorkConsumer.Triage.READY : WorkConsumer.Triage.SKIP;
    }

    /** Whether a request was made longer ago than a server's configuration takes to arrive; its answer is for good. */
    private boolean olderThanGrace(RestoreRequested request) {
        Instant asked = request.getHeader() == null ? null : request.getHeader().getOccurredAt();
        return asked == null || asked.plus(properties.unknownTargetGrace()).isBefore(Instant.now());
    }

    @Override
    public Optional<WorkConsumer.Work> start(ConsumerRecord<String, RestoreRequested> record) {
        RestoreRequested request = record.value();
        String id = request.getRestoreRequestId();
        Optional<RestoreCompleted> before = answers.find(id);
        if (before.isPresent()) {
            log.info("restore {} was answered before ({}); answering the same", id, before.get().getOutcome());
            return Optional.of(() -> publish(before.get()));
        }
        Optional<Lease> lease = repository.tryLease(RestoreAnswers.recordName(id), properties.instanceId(),
                properties.leaseStaleAfter());
        if (lease.isEmpty()) {
            return Optional.empty(); // running on another worker: looked at again after the next poll
        }
        HeldLeases.Holding holding = leases.hold(List.of(lease.get()));
        String target = servers.get(request.getTargetServerId()).map(ServerConfig::getName).orElse(request.getTargetServerId());
        meters.restoreStarting(target, purpose);
        return Optional.of(() -> {
            RestoreCompleted outcome;
            try (HeldLeases.Holding attached = holding.attach()) {
                Optional<RestoreCompleted> meanwhile = answers.find(id); // answered by a worker that held the lease before
                outcome = meanwhile.isPresent() ? meanwhile.get() : attempts(request, holding);
                if (!holding.lost() && meanwhile.isEmpty()) {
                    answers.keep(outcome);
                }
            } catch (InterruptedException | RuntimeException e) {
                if (holding.lost()) {
                    return abandoned(id);
                }
                throw e;
            }
            if (holding.lost()) {
                return abandoned(id);
            }
            WorkConsumer.Result published = publish(outcome);
            meters.restoreFinished(target, purpose, outcome.getOutcome(), outcome.getStartedAt() == null
                    ? Duration.ZERO : Duration.between(outcome.getStartedAt(), outcome.getFinishedAt()));
            return published;
        });
    }

    /** The request's lease was lost mid-restore: the executor has dropped its temporary database; nothing is published. */
    private WorkConsumer.Result abandoned(String id) {
        log.warn("restore {} abandoned: its lease was lost; publishing nothing", id);
        return WorkConsumer.Result.ABANDONED;
    }

    /**
     * Validates and runs the request, and again after a retriable failure while the retry policy allows,
     * each time against the configuration as it is then; a change of the target's configuration (its address
     * corrected, say) ends the wait at once. The answer is the last attempt's, with the first
     * attempt's start and the number of attempts. The lease stays held and the target's later requests wait.
     */
    private RestoreCompleted attempts(RestoreRequested request, HeldLeases.Holding holding) throws InterruptedException {
        RestoreCompleted first = attempt(request);
        RestoreCompleted outcome = first;
        int attempt = 1;
        for (Optional<Duration> wait; !holding.lost() && (wait = retries.delayAfter(attempt, outcome)).isPresent(); ) {
            executor.retrying(request, attempt, retries.attempts(), outcome.getFailure(), wait.get());
            targetChanges.await(request.getTargetServerId(), wait.get());
            attempt++;
            outcome = attempt(request);
        }
        RestoreCompleted.Builder answer = RestoreCompleted.newBuilder(outcome).setAttempts(attempt);
        if (outcome.getStartedAt() != null && first.getStartedAt() != null) {
            answer.setStartedAt(first.getStartedAt());
        }
        return answer.build();
    }

    private RestoreCompleted attempt(RestoreRequested request) {
        RestoreValidator.Verdict verdict = validator.check(request);
        return verdict.rejection() != null
                ? executor.rejected(request, verdict.rejection())
                : executor.run(request, verdict.plan());
    }

    private WorkConsumer.Result publish(RestoreCompleted outcome) throws WorkConsumer.StageFailure, InterruptedException {
        return WorkerProducers.publishOutcome(producer,
                new ProducerRecord<>(Topics.RESTORE_COMPLETED.name(), outcome.getRestoreRequestId(), outcome));
    }

    @Override
    public void close() {
        consumer.close();
        leases.close();
    }

    /** Wakes a restore waiting to retry when its target's configuration changes. */
    private static final class TargetChanges {
        private final Map<String, Long> versions = new HashMap<>();

        synchronized void changed(String serverId) {
            versions.merge(serverId, 1L, Long::sum);
            notifyAll();
        }

        /** Waits up to {@code timeout}, or less if that server's configuration changes meanwhile. */
        synchronized void await(String serverId, Duration timeout) throws InterruptedException {
            long seen = versions.getOrDefault(serverId, 0L);
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long left; versions.getOrDefault(serverId, 0L) == seen && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
