package io.pgsnapman.schemas;

/** Kafka {@code cleanup.policy} of a topic: compacted state, or an event log whose old records are deleted. */
public enum CleanupPolicy {
    COMPACT("compact"),
    DELETE("delete");

    private final String kafkaValue;

    CleanupPolicy(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    /** The value of the {@code cleanup.policy} topic setting. */
    public String kafkaValue() {
        return kafkaValue;
    }
}
