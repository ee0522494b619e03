package io.pgsnapman.service.config.outbox;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.config.ConfigServiceTopics;
import io.pgsnapman.service.config.settings.ConfigServiceProperties;
import io.pgsnapman.topicadmin.TopicProvisioner;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox rows to Kafka in order and deletes them once the broker acknowledged every
 * one (acks=all, idempotent producer). One replica relays at a time (a transaction-scoped advisory lock),
 * so records of one key keep their order. A failed send rolls the round back and it is tried again:
 * delivery is at-least-once. Besides its regular poll, a commit that wrote to the outbox nudges it.
 * <p>
 * The first round creates the topics config-service writes; until Kafka answers, every round fails before
 * it takes a row, so changes made while Kafka is down wait in the outbox and go out in order later.
 */
@Component
public class OutboxRelay {

    /** The transaction-scoped advisory lock a relaying replica holds ({@code pg_locks.objid}'s 64-bit key). */
    public static final long ADVISORY_LOCK = 0x70675f6f7574626fL; // "pg_outbo"

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, Object> kafka;
    private final TopicProvisioner provisioner;
    private final int batchSize;
    private volatile boolean topicsReady;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay-nudge");
        t.setDaemon(true);
        return t;
    });

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, Object> kafka,
            KafkaProperties kafkaProperties, ConfigServiceProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.provisioner = new TopicProvisioner(kafkaProperties.buildAdminProperties(), properties.topics());
        this.batchSize = properties.outbox().batchSize();
    }

    /**
     * Relays soon, in the background: called after a commit that wrote to the outbox, so a change is
     * published at once instead of at the next poll. Calls while a relay is pending are merged.
     */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                relayAll(batchSize);
            });
        }
    }

    @PreDestroy
    void stop() {
        nudges.shutdownNow();
    }

    private record Row(long id, String topic, String key, String valueClass, byte[] payload) {}

    /**
     * Publishes up to {@code batchSize} rows; returns how many (0 also when another replica is relaying).
     *
     * @throws IllegalStateException when Kafka did not take them; the rows stay for the next round
     */
    public int relay(int batchSize) {
        if (!topicsReady) {
            provisioner.ensure(ConfigServiceTopics.DECLARED.writes());
            topicsReady = true;
        }
        Integer published = transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(:lock)").param("lock", ADVISORY_LOCK)
                    .query(Boolean.class).single())) {
                return 0;
            }
            List<Row> rows = jdbc.sql("SELECT id, topic, record_key, value_class, payload FROM outbox ORDER BY id LIMIT :n")
                    .param("n", batchSize)
                    .query((rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5)))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                sends.add(kafka.send(row.topic(), row.key(), decode(row)));
            }
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing the outbox", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("publishing the outbox failed; will retry: " + e.getMessage(), e);
            }
            jdbc.sql("DELETE FROM outbox WHERE id <= :last").param("last", rows.get(rows.size() - 1).id()).update();
            return rows.size();
        });
        return published == null ? 0 : published;
    }

    /** Relays everything there is, logging (not throwing) a failure; for the scheduled loop. */
    public void relayAll(int batchSize) {
        try {
            while (relay(batchSize) == batchSize) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            log.warn("outbox relay round failed, {} changes wait in the outbox: {}", waiting(), e.getMessage());
        }
    }

    /** Rows not yet relayed. */
    public long waiting() {
        return jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single();
    }

    /** How long the oldest row not yet relayed has waited, by the database's clock; 0 when there is none. */
    public double oldestAgeSeconds() {
        return jdbc.sql("SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox")
                .query(Double.class).single();
    }

    private static Object decode(Row row) {
        if (row.payload() == null) {
            return null;
        }
        Class<? extends SpecificRecord> type = Topics.byName(row.topic())
                .<Class<? extends SpecificRecord>>map(t -> t.valueType())
                .filter(t -> t.getName().equals(row.valueClass()))
                .orElseThrow(() -> new IllegalStateException("outbox row " + row.id() + " has value class "
                        + row.valueClass() + " that does not belong to topic " + row.topic()));
        SpecificData model = SpecificData.getForClass(type);
        try {
            return new SpecificDatumReader<>(model.getSchema(type), model.getSchema(type), model)
                    .read(null, DecoderFactory.get().binaryDecoder(row.payload(), null));
        } catch (IOException e) {
            throw new UncheckedIOException("outbox row " + row.id() + " cannot be decoded", e);
        }
    }
}
