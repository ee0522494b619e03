package io.pgsnapman.service.restoreworker;

import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.repository.Checksums;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.schemas.AvroTrust;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The answer given to each restore request id, kept for good in the dump repository (one small Avro data
 * file per id, which carries its writer's schema, so later versions still read it). A repeated request id is
 * answered from here however long ago it was first answered; nothing is held in memory, so a worker's memory
 * does not grow with the number of past restores. The answer is stored before it is published: a crash in
 * between publishes the stored answer when the request comes again.
 */
final class RestoreAnswers {

    static {
        AvroTrust.trustEventClasses(); // reading a stored answer instantiates the generated classes
    }

    private final DumpRepository repository;

    RestoreAnswers(DumpRepository repository) {
        this.repository = repository;
    }

    /** The answer given to that request id before, if any. */
    Optional<RestoreCompleted> find(String restoreRequestId) {
        return repository.loadRecord(recordName(restoreRequestId)).map(RestoreAnswers::decode);
    }

    /** Keeps the answer to its request id. */
    void keep(RestoreCompleted answer) {
        repository.storeRecord(recordName(answer.getRestoreRequestId()), encode(answer));
    }

    /** A request id is the caller's free text; its hash names the record (and the lease). */
    static String recordName(String restoreRequestId) {
        return "restores/" + Checksums.sha256(restoreRequestId.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] encode(RestoreCompleted answer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<RestoreCompleted> writer = new DataFileWriter<>(new SpecificDatumWriter<>(RestoreCompleted.class))) {
            writer.create(RestoreCompleted.getClassSchema(), out);
            writer.append(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static RestoreCompleted decode(byte[] bytes) {
        try (DataFileStream<RestoreCompleted> in = new DataFileStream<>(new ByteArrayInputStream(bytes),
                new SpecificDatumReader<>(RestoreCompleted.class))) {
            return in.next();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable stored restore answer: " + e.getMessage(), e);
        }
    }
}
