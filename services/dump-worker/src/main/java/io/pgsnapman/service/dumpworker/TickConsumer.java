package io.pgsnapman.service.dumpworker;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.metrics.OutcomeMeters;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.HeldLeases;
import io.pgsnapman.repository.Lease;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.workconsumer.WorkConsumer;
import io.pgsnapman.workconsumer.WorkerProducers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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
 * Takes the ticks of this worker's pool off {@code schedule.ticks} (consumer group per pool) and runs them
 * for hours if need be, on a {@link WorkConsumer}: dumps finish in any order, the committed offset only
 * moves past a tick once its {@link DumpCompleted} was acknowledged by the broker, and a record that cannot
 * be decoded goes to the dead-letter topic. Capacity: at most {@code maxConcurrentDumps} on this worker,
 * and at most the server's {@code maxConcurrentDumps} across the pool (slot leases in the shared
 * repository). A lease per dump id keeps two workers from running the same dump at once, e.g. after a
 * rebalance. Ticks of other pools are skipped; a tick whose {@code notBefore} lies ahead waits, and so does one
 * for a server not (yet) configured, for {@code unknownServerGrace} after it was asked: a server created just
 * before "dump now" reaches the worker on another topic, maybe later than the tick.
 */
final class TickConsumer implements AutoCloseable, WorkConsumer.Dispatcher<DumpRequested> {

    private static final Logger log = LoggerFactory.getLogger(TickConsumer.class);

    private final Producer<String, Object> producer;
    private final CompactedTopicCache<ServerConfig> servers;
    private final DumpRepository repository;
    private final DumpExecutor executor;
    private final Clock clock;
    private final DumpWorkerProperties properties;
    private final HeldLeases leases;
    private final OutcomeMeters meters;
    private final WorkConsumer<DumpRequested> consumer;

    TickConsumer(Map<String, Object> consumerProperties, Deserializer<DumpRequested> deserializer,
            Producer<String, Object> producer, DeadLetters deadLetters,
            CompactedTopicCache<ServerConfig> servers, DumpRepository repository, DumpExecutor executor, Clock clock,
            DumpWorkerProperties properties, OutcomeMeters meters) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(properties.workerPool()));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.producer = producer;
        this.servers = servers;
        this.repository = repository;
        this.executor = executor;
        this.clock = clock;
        this.properties = properties;
        this.leases = new HeldLeases(properties.leaseStaleAfter());
        this.meters = meters;
        Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers =
                () -> new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer = new WorkConsumer<>(consumers, deserializer, deadLetters,
                new WorkConsumer.Settings(Topics.SCHEDULE_TICKS.name(), properties.maxConcurrentDumps(), properties.failures()),
                this);
    }

    void start() {
        consumer.start();
    }

    /** What the consumer group of every pool's dump workers starts with (the expiry group shares it). */
    static final String GROUP_PREFIX = "pgsnapman-dump-worker-";

    /** The consumer group of a pool's dump workers. */
    static String groupId(String workerPool) {
        return GROUP_PREFIX + workerPool;
    }

    /** Dumps running on this worker now. */
    int runningCount() {
        return consumer.runningCount();
    }

    @Override
    public String exclusiveKey(ConsumerRecord<String, DumpRequested> record) {
        return record.value() == null ? null : record.value().getDumpId();
    }

    @Override
    public WorkConsumer.Triage triage(ConsumerRecord<String, DumpRequested> record) {
        DumpRequested tick = record.value();
        if (tick == null || !properties.workerPool().equals(tick.getWorkerPool())) {
            return WorkConsumer.Triage.SKIP;
        }
        if (tick.getNotBefore() != null && tick.getNotBefore().isAfter(now()) || !servers.isLoaded()) {
            return WorkConsumer.Triage.WAIT;
        }
        if (servers.get(tick.getServerId()).isEmpty() && !olderThanGrace(tick)) {
            return WorkConsumer.Triage.WAIT; // its server's configuration may still be on its way (another topic)
        }
        return WorkConsumer.Triage.READY;
    }

    @Override
    public Optional<WorkConsumer.Work> start(ConsumerRecord<String, DumpRequested> record) {
        DumpRequested tick = record.value();
        Optional<ServerConfig> server = servers.get(tick.getServerId());
        if (server.isEmpty() || !server.get().getAllowDumps()) {
            String reason = server.isEmpty() ? "server '" + tick.getServerId() + "' is not configured"
                    : "server '" + server.get().getName() + "' does not allow dumps";
            String label = server.isEmpty() ? tick.getServerId() : server.get().getName();
            return Optional.of(() -> publish(refused(tick, reason), label));
        }
        Optional<List<Lease>> taken = takeLeases(tick, server.get());
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        HeldLeases.Holding holding = leases.hold(taken.get());
        ServerConfig config = server.get();
        meters.dumpStarting(config.getName(), tick.getDumpJobId());
        return Optional.of(() -> {
            DumpCompleted outcome;
            try (HeldLeases.Holding attached = holding.attach()) {
                outcome = executor.run(tick, config);
            } catch (RuntimeException e) {
                if (holding.lost()) {
                    return abandoned(tick);
                }
                throw e;
            }
            return holding.lost() ? abandoned(tick) : publish(outcome, config.getName());
        });
    }

    /**
     * Publishes the outcome; not acknowledged means the tick is taken again (a dump that completed is not
     * redone: the repository answers it).
     */
    private WorkConsumer.Result publish(DumpCompleted completed, String serverName)
            throws WorkConsumer.StageFailure, InterruptedException {
        WorkConsumer.Result published = WorkerProducers.publishOutcome(producer,
                new ProducerRecord<>(Topics.DUMP_COMPLETED.name(), completed.getDumpJobId(), completed));
        meters.dumpFinished(serverName, completed.getDumpJobId(), completed.getOutcome(),
                Duration.between(completed.getStartedAt(), completed.getFinishedAt()),
                completed.getSizeBytes(), completed.getStoredBytes());
        return published;
    }

    /** The dump's lease was lost mid-dump: the executor has cleaned up; nothing is published, the tick is taken again. */
    private WorkConsumer.Result abandoned(DumpRequested tick) {
        log.warn("dump {} abandoned: its lease was lost; publishing nothing", tick.getDumpId());
        return WorkConsumer.Result.ABANDONED;
    }

    /** Whether a tick was asked for longer ago than a server's configuration takes to arrive. */
    private boolean olderThanGrace(DumpRequested tick) {
        Instant asked = tick.getHeader() == null ? null : tick.getHeader().getOccurredAt();
        return asked == null || asked.plus(properties.unknownServerGrace()).isBefore(now());
    }

    /** The name of the lease a worker holds while it writes that dump. */
    static String dumpLease(String dumpId) {
        return "dumps/" + dumpId;
    }

    /** The dump's lease and a free slot of its server, or nothing (and nothing held) if either is taken. */
    private Optional<List<Lease>> takeLeases(DumpRequested tick, ServerConfig server) {
        String owner = properties.instanceId();
        Optional<Lease> dump = repository.tryLease(dumpLease(tick.getDumpId()), owner, properties.leaseStaleAfter());
        if (dump.isEmpty()) {
            return Optional.empty();
        }
        for (int slot = 1; slot <= Math.max(1, server.getMaxConcurrentDumps()); slot++) {
            Optional<Lease> taken = repository.tryLease("servers/" + server.getServerId() + "/slot-" + slot, owner,
                    properties.leaseStaleAfter());
            if (taken.isPresent()) {
                return Optional.of(List.of(dump.get(), taken.get()));
            }
        }
        dump.get().close();
        return Optional.empty();
    }

    private DumpCompleted refused(DumpRequested tick, String reason) {
        log.warn("tick {} refused: {}", tick.getDumpId(), reason);
        Instant now = now();
        return DumpCompleted.newBuilder()
                .setHeader(EventHeaders.following(tick.getHeader(), "dump-worker/" + properties.instanceId(), clock))
                .setDumpId(tick.getDumpId())
                .setDumpJobId(tick.getDumpJobId())
                .setServerId(tick.getServerId())
                .setSpec(tick.getSpec())
                .setOutcome(Outcome.FAILED)
                .setTrigger(tick.getTrigger())
                .setScheduledAt(tick.getScheduledAt())
                .setStartedAt(now)
                .setFinishedAt(now)
                .setVerification(VerificationStatus.NOT_VERIFIED)
                .setFailure(FailureCode.SERVER_UNAVAILABLE.failure(reason).build())
                .setWorkerId(properties.instanceId())
                .build();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    @Override
    public void close() {
        consumer.close();
        leases.close();
        executor.close();
    }
}
