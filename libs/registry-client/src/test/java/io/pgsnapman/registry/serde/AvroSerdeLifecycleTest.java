package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.registry.client.RegistryClientSettings;
import io.pgsnapman.registry.client.SchemaRegistryClient;
import io.pgsnapman.testsupport.events.SampleEvents;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeLifecycleTest {

    @Test
    void tombstonesStayNullWithoutTouchingTheRegistry() {
        assertThat(new AvroSerializer<ActivityEvent>().serialize("t", null)).isNull();
        assertThat(new AvroDeserializer<ActivityEvent>().deserialize("t", null)).isNull();
    }

    @Test
    void useBeforeConfigureIsAClearError() {
        assertThatThrownBy(() -> new AvroSerializer<ActivityEvent>().serialize("t", SampleEvents.activityEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AvroSerializer used before configure()");
        assertThatThrownBy(() -> new AvroDeserializer<ActivityEvent>().deserialize("t", new byte[] {0, 0, 0, 0, 1, 2}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AvroDeserializer used before configure()");
    }

    @Test
    void nonAvroValuesAreRefusedByType() {
        AvroSerializer<Object> serializer = new AvroSerializer<>(
                new SchemaRegistryClient(
                        RegistryClientSettings.builder("http://127.0.0.1:9").build()));

        assertThatThrownBy(() -> serializer.serialize("orders", "plain string"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("not an Avro record");
    }
}
