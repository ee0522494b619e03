package io.pgsnapman.testsupport;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node Kafka broker (KRaft, in this JVM, from spring-kafka-test). Log cleaning runs every
 * 200 ms so compaction is observable in seconds. Obtain a test class's own instance through {@link WithKafka}.
 */
public final class KafkaBroker implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker broker;

    private KafkaBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker with {@code partitions} partitions per auto-created topic. */
    public static KafkaBroker start(int partitions) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
        broker.brokerProperties(Map.of(
                "log.cleaner.backoff.ms", "200",
                "auto.create.topics.enable", "true",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1"));
        broker.afterPropertiesSet();
        return new KafkaBroker(broker);
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    /** Creates topics (1 partition each unless created otherwise), ignoring those that exist. */
    public void createTopics(String... topics) {
        broker.addTopicsWithResults(topics);
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
