package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void schemaIdIsReadBigEndianAfterTheMagicByte() {
        byte[] bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(0x01020304).put((byte) 9).put((byte) 9).array();

        assertThat(WireFormat.schemaId("t", bytes)).isEqualTo(0x01020304);
    }

    @Test
    void headerWrittenIsTheHeaderRead() {
        ByteBuffer buffer = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
        WireFormat.writeHeader(buffer, 42);

        assertThat(buffer.array()).containsExactly(0, 0, 0, 0, 42);
        assertThat(WireFormat.schemaId("t", buffer.array())).isEqualTo(42);
    }

    @Test
    void wrongMagicByteIsRefusedWithTopicAndByte() {
        assertThatThrownBy(() -> WireFormat.schemaId("orders", new byte[] {0x7B, 1, 2, 3, 4, 5}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'orders'")
                .hasMessageContaining("0x7B");
    }

    @Test
    void tooShortRecordIsRefusedWithItsLength() {
        assertThatThrownBy(() -> WireFormat.schemaId("orders", new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("2 byte(s)");
    }
}
