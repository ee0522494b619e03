package io.pgsnapman.registry.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: byte {@code 0x00}, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the value.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /** The schema id of a record, or a clear error when the bytes are not in the wire format. */
    static int schemaId(String topic, byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            throw new SerializationException("Record on topic '" + topic + "' is not in the Confluent Avro wire format: "
                    + bytes.length + " byte(s), expected at least " + HEADER_LENGTH + " (magic byte 0x00 and a 4-byte schema id)");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record on topic '%s' is not in the Confluent Avro wire format: first byte is 0x%02X, expected 0x00 (%d bytes)",
                    topic, bytes[0], bytes.length));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
