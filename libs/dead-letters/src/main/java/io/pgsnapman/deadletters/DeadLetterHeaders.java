package io.pgsnapman.deadletters;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The headers every dead-lettered record carries, whichever consumer sent it: the stage, the error (the
 * innermost cause's class, and the messages of the cause chain), the record's origin (topic, partition, offset) and the consumer that gave up.
 * The record's key and value are the original bytes, unchanged.
 */
public final class DeadLetterHeaders {

    public static final String STAGE = "pgsnapman-dlt-stage";
    public static final String EXCEPTION = "pgsnapman-dlt-exception";
    public static final String MESSAGE = "pgsnapman-dlt-message";
    public static final String ORIGINAL_TOPIC = "pgsnapman-dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "pgsnapman-dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "pgsnapman-dlt-original-offset";
    public static final String CONSUMER = "pgsnapman-dlt-consumer";

    /** Longest error message kept; a longer one is cut, so one huge message cannot make the record too large. */
    static final int MAX_MESSAGE_CHARS = 4000;

    private DeadLetterHeaders() {}

    /** The headers for a record of {@code topic}/{@code partition} at {@code offset} that failed with {@code error}. */
    public static List<Header> describe(Stage stage, String consumer, String topic, int partition, long offset, Throwable error) {
        Throwable cause = Failures.mostSpecific(error);
        String message = Failures.describe(error);
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        }
        return List.of(
                header(STAGE, stage.name()),
                header(EXCEPTION, cause.getClass().getName()),
                header(MESSAGE, message),
                header(ORIGINAL_TOPIC, topic),
                header(ORIGINAL_PARTITION, Integer.toString(partition)),
                header(ORIGINAL_OFFSET, Long.toString(offset)),
                header(CONSUMER, consumer));
    }

    /** The value of a header as text, if present. */
    public static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The stage a dead-lettered record failed at, if it says. */
    public static Optional<Stage> stage(Headers headers) {
        return text(headers, STAGE).map(Stage::valueOf);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
