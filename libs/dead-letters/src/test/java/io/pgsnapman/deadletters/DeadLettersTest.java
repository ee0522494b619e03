package io.pgsnapman.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgsnapman.registry.client.RegistryUnreachableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @Test
    void aRecordGoesToTheDeadLetterTopicOfItsTopicUnchangedWithStageErrorAndOrigin() {
        // Given a record of a topic of the topic table that failed to decode
        DeadLetters letters = new DeadLetters(producer, "restore-worker");
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("pgsnapman.restore.requested", 2, 41, "t1", new byte[] {1, 2, 3});

        // When it is dead-lettered
        letters.send(Stage.DECODE, record, new SerializationException("Cannot decode record", new IllegalArgumentException("bad varint")));

        // Then it is on that topic's -dlt topic with one set of headers, and counted
        ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
        assertThat(letter.topic()).isEqualTo("pgsnapman.restore.requested-dlt");
        assertThat(letter.key()).isEqualTo("t1".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.value()).containsExactly(1, 2, 3);
        assertThat(DeadLetterHeaders.stage(letter.headers())).contains(Stage.DECODE);
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.EXCEPTION)).contains(IllegalArgumentException.class.getName());
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.MESSAGE)).contains("Cannot decode record: bad varint");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).contains("pgsnapman.restore.requested");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_PARTITION)).contains("2");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).contains("41");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.CONSUMER)).contains("restore-worker");
        assertThat(letters.counts()).containsEntry("pgsnapman.restore.requested DECODE", 1L);
        assertThat(letters.total()).isEqualTo(1);
    }

    @Test
    void aSecondConsumerOfTheServiceNamesItselfAndSharesTheProducerAndCounts() {
        // Given the service's publisher, counted as meters, and a view of it for its second consumer group
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeadLetters letters = new DeadLetters(producer, "restore-worker").countedIn(meters);
        DeadLetters verify = letters.as("restore-worker/verify");

        // When each dead-letters a record, and the view is closed
        letters.send(Stage.DECODE, "pgsnapman.restore.requested", 0, 1, "k", new byte[0], new IllegalStateException("x"));
        verify.send(Stage.DECODE, "pgsnapman.restore.requested", 0, 1, "k", new byte[0], new IllegalStateException("x"));
        verify.close();

        // Then each letter names its consumer, both are counted once in the one tally and meter, and the producer is open
        assertThat(producer.history()).extracting(l -> DeadLetterHeaders.text(l.headers(), DeadLetterHeaders.CONSUMER).orElseThrow())
                .containsExactly("restore-worker", "restore-worker/verify");
        assertThat(letters.total()).isEqualTo(2);
        assertThat(verify.counts()).containsEntry("pgsnapman.restore.requested DECODE", 2L);
        assertThat(meters.counter(DeadLetters.METER, "topic", "pgsnapman.restore.requested", "stage", "DECODE").count())
                .isEqualTo(2.0);
        assertThat(producer.closed()).isFalse();
    }

    @Test
    void everyDeadLetterIsCountedAsAMeterByTopicAndStage() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeadLetters letters = new DeadLetters(producer, "c").countedIn(meters);

        letters.send(Stage.RUN, "pgsnapman.schedule.ticks", 0, 1, "k", new byte[0], new IllegalStateException("x"));
        letters.send(Stage.RUN, "pgsnapman.schedule.ticks", 0, 2, "k", new byte[0], new IllegalStateException("x"));
        letters.counted("pgsnapman.dump.completed", Stage.DECODE);

        assertThat(meters.counter(DeadLetters.METER, "topic", "pgsnapman.schedule.ticks", "stage", "RUN").count()).isEqualTo(2.0);
        assertThat(meters.counter(DeadLetters.METER, "topic", "pgsnapman.dump.completed", "stage", "DECODE").count()).isEqualTo(1.0);
    }

    @Test
    void aHugeErrorMessageIsCut() {
        DeadLetters letters = new DeadLetters(producer, "c");

        letters.send(Stage.RUN, "t", 0, 0, null, null, new IllegalStateException("x".repeat(100_000)));

        assertThat(DeadLetterHeaders.text(producer.history().get(0).headers(), DeadLetterHeaders.MESSAGE).orElseThrow())
                .hasSizeLessThan(DeadLetterHeaders.MAX_MESSAGE_CHARS + 2);
    }

    @Test
    void aDeadLetterTheBrokerDoesNotTakeIsAnErrorAndNotCounted() {
        MockProducer<byte[], byte[]> silent = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetters letters = new DeadLetters(silent, "c", Duration.ofMillis(1));

        assertThatThrownBy(() -> letters.send(Stage.RUN, "t", 0, 0, "k", new byte[0], new IllegalStateException("x")))
                .hasMessageContaining("cannot write to t-dlt");
        assertThat(letters.total()).isZero();
    }

    @Test
    void anUnreachableRegistryIsAPassingFailureAndGarbageIsNot() {
        Exception registryDown = new SerializationException("cannot read",
                new RegistryUnreachableException(List.of("http://r"), new IOException("refused")));
        Exception garbage = new SerializationException("Unknown magic byte");

        assertThat(Failures.isPassing(registryDown)).isTrue();
        assertThat(Failures.isPassing(garbage)).isFalse();
    }
}
