package io.pgsnapman.workconsumer;

import io.pgsnapman.deadletters.Stage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The producer a worker needs beside its {@link WorkConsumer} for its outcome events (idempotent, {@code acks=all},
 * serializers from the given properties); dead letters have their own ({@code DeadLetters.create}).
 */
public final class WorkerProducers {

    private WorkerProducers() {}

    /** Outcomes and activity: a record acknowledged is on every in-sync replica, and a retry never doubles it. */
    public static Producer<String, Object> events(Map<String, Object> producerProperties) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props);
    }

    /**
     * Sends a work item's outcome and waits until the broker has it; a refusal is a failure at
     * {@link Stage#PUBLISH}, which the {@link FailurePolicy} retries and finally dead-letters.
     */
    public static WorkConsumer.Result publishOutcome(Producer<String, Object> producer, ProducerRecord<String, Object> outcome)
            throws WorkConsumer.StageFailure, InterruptedException {
        try {
            producer.send(outcome).get();
        } catch (ExecutionException e) {
            throw new WorkConsumer.StageFailure(Stage.PUBLISH, e.getCause());
        }
        return WorkConsumer.Result.DONE;
    }
}
