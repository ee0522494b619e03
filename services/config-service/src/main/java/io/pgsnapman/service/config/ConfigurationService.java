package io.pgsnapman.service.config;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.config.api.ConflictException;
import io.pgsnapman.service.config.api.DumpJobSpec;
import io.pgsnapman.service.config.api.NotFoundException;
import io.pgsnapman.service.config.api.Resource;
import io.pgsnapman.service.config.api.RestoreJobSpec;
import io.pgsnapman.service.config.api.ServerSpec;
import io.pgsnapman.service.config.outbox.OutboxWriter;
import io.pgsnapman.service.config.settings.ConfigServiceProperties;
import io.pgsnapman.service.config.store.ConfigStore;
import io.pgsnapman.service.config.store.Kind;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every configuration change: validated, stored, and announced on its compacted topic through the outbox in
 * the same transaction (a delete announces a tombstone). Also "dump now", which queues an ad-hoc tick.
 */
@Service
public class ConfigurationService {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationService.class);

    private final ConfigStore store;
    private final ConfigValidator validator;
    private final OutboxWriter outbox;
    private final Clock clock;
    private final String producer;

    public ConfigurationService(ConfigStore store, ConfigValidator validator, OutboxWriter outbox, Clock clock,
            ConfigServiceProperties properties) {
        this.store = store;
        this.validator = validator;
        this.outbox = outbox;
        this.clock = clock;
        this.producer = "config-service/" + properties.instanceId();
    }

    /** A dump requested now: its id and the server it will run against. */
    public record DumpNow(String dumpId, String dumpJobId, String serverId) {}

    // ---- servers

    @Transactional(readOnly = true)
    public List<Resource<ServerSpec>> servers() {
        return store.list(Kind.SERVER);
    }

    @Transactional(readOnly = true)
    public Resource<ServerSpec> server(String id) {
        return store.find(Kind.SERVER, id).orElseThrow(() -> new NotFoundException("server", id));
    }

    @Transactional
    public Resource<ServerSpec> saveServer(String id, ServerSpec requested, String actor) {
        ServerSpec spec = requested.withDefaults();
        Optional<Resource<ServerSpec>> previous = existing(Kind.SERVER, id);
        validator.server(spec, id);
        Resource<ServerSpec> saved = store.save(Kind.SERVER, idOr(Kind.SERVER, id), spec.name(), spec, Map.of(), previous);
        outbox.append(Topics.CONFIG_SERVERS, saved.id(), ConfigEvents.server(saved, header()));
        log.info("{} {} server {} ({}) revision {}", actor, previous.isPresent() ? "updated" : "created", saved.id(),
                spec.name(), saved.revision());
        return saved;
    }

    @Transactional
    public void deleteServer(String id, String actor) {
        Resource<ServerSpec> server = existing(Kind.SERVER, id).orElseThrow(() -> new NotFoundException("server", id));
        List<String> jobs = store.referencing(Kind.DUMP_JOB, "server_id", id);
        List<String> restores = store.referencing(Kind.RESTORE_JOB, "target_server_id", id);
        if (!jobs.isEmpty() || !restores.isEmpty()) {
            throw new ConflictException("server '" + server.spec().name() + "' is used by dump jobs " + jobs
                    + " and restore jobs " + restores + "; delete those first");
        }
        store.delete(Kind.SERVER, id);
        outbox.append(Topics.CONFIG_SERVERS, id, null);
        log.info("{} deleted server {} ({})", actor, id, server.spec().name());
    }

    // ---- dump jobs

    @Transactional(readOnly = true)
    public List<Resource<DumpJobSpec>> dumpJobs() {
        return store.list(Kind.DUMP_JOB);
    }

    @Transactional(readOnly = true)
    public Resource<DumpJobSpec> dumpJob(String id) {
        return store.find(Kind.DUMP_JOB, id).orElseThrow(() -> new NotFoundException("dump job", id));
    }

    @Transactional
    public Resource<DumpJobSpec> saveDumpJob(String id, DumpJobSpec requested, String actor) {
        return saveDumpJob(id, requested, false, actor);
    }

    @Transactional
    public Resource<DumpJobSpec> saveDumpJob(String id, DumpJobSpec requested, boolean autoCreated, String actor) {
        DumpJobSpec spec = requested.withDefaults();
        Optional<Resource<DumpJobSpec>> previous = existing(Kind.DUMP_JOB, id);
        validator.dumpJob(spec, id);
        Map<String, Object> references = new HashMap<>();
        references.put("server_id", spec.serverId());
        references.put("database_name", spec.databaseName());
        references.put("auto_created", autoCreated);
        Resource<DumpJobSpec> saved = store.save(Kind.DUMP_JOB, idOr(Kind.DUMP_JOB, id), spec.name(), spec, references, previous);
        outbox.append(Topics.CONFIG_DUMP_JOBS, saved.id(), ConfigEvents.dumpJob(saved, header()));
        log.info("{} {} dump job {} ({}) revision {}", actor, previous.isPresent() ? "updated" : "created", saved.id(),
                spec.name(), saved.revision());
        return saved;
    }

    @Transactional
    public Resource<DumpJobSpec> setDumpJobState(String id, JobState state, String actor) {
        Resource<DumpJobSpec> job = existing(Kind.DUMP_JOB, id).orElseThrow(() -> new NotFoundException("dump job", id));
        return saveDumpJob(id, job.spec().withState(state), actor);
    }

    @Transactional
    public void deleteDumpJob(String id, String actor) {
        Resource<DumpJobSpec> job = existing(Kind.DUMP_JOB, id).orElseThrow(() -> new NotFoundException("dump job", id));
        List<String> restores = store.referencing(Kind.RESTORE_JOB, "source_dump_job_id", id);
        if (!restores.isEmpty()) {
            throw new ConflictException("dump job '" + job.spec().name() + "' is the source of restore jobs " + restores
                    + "; delete those first");
        }
        store.delete(Kind.DUMP_JOB, id);
        outbox.append(Topics.CONFIG_DUMP_JOBS, id, null);
        log.info("{} deleted dump job {} ({})", actor, id, job.spec().name());
    }

    /** Queues an ad-hoc dump of the job (ACTIVE or HALTED) now. */
    @Transactional
    public DumpNow dumpNow(String id, boolean pin, String actor) {
        Resource<DumpJobSpec> job = dumpJob(id);
        Resource<ServerSpec> server = server(job.spec().serverId());
        if (!Boolean.TRUE.equals(server.spec().allowDumps())) {
            throw new ConflictException("server '" + server.spec().name() + "' does not allow dumps (set allowDumps)");
        }
        Instant now = Instant.ofEpochMilli(clock.millis());
        String dumpId = id + "/adhoc-" + UUID.randomUUID();
        DumpRequested request = DumpRequested.newBuilder()
                .setHeader(header())
                .setDumpId(dumpId)
                .setDumpJobId(id)
                .setServerId(server.id())
                .setWorkerPool(server.spec().workerPool())
                .setSpec(ConfigEvents.dumpSpec(job.spec()))
                .setTrigger(DumpTrigger.AD_HOC)
                .setScheduledAt(now)
                .setVerify(job.spec().verify())
                .setDedup(job.spec().dedup())
                .setPin(pin)
                .setRequestedBy(actor)
                .build();
        outbox.append(Topics.SCHEDULE_TICKS, server.id(), request);
        log.info("{} asked for dump {} of job {} now", actor, dumpId, job.spec().name());
        return new DumpNow(dumpId, id, server.id());
    }

    /** A restore requested now: its request id (the idempotency key to follow) and its target. */
    public record RestoreNow(String restoreRequestId, String restoreJobId, String targetServerId) {}

    /**
     * Queues an ad-hoc restore of the restore job's latest verified source dump (or of {@code dumpId}) now.
     * The restore-worker validates it like any request and answers on {@code restore.completed}.
     */
    @Transactional
    public RestoreNow restoreNow(String id, String dumpId, String actor) {
        Resource<RestoreJobSpec> job = restoreJob(id);
        RestoreJobSpec spec = job.spec();
        String requestId = id + "/adhoc-" + UUID.randomUUID();
        RestoreRequested request = RestoreRequested.newBuilder()
                .setHeader(header())
                .setRestoreRequestId(requestId)
                .setDumpId(dumpId)
                .setSourceDumpJobId(dumpId == null ? spec.sourceDumpJobId() : null)
                .setTargetServerId(spec.targetServerId())
                .setTargetDatabaseName(spec.targetDatabaseName())
                .setOptions(ConfigEvents.restoreOptions(spec.options()))
                .setTrigger(RestoreTrigger.AD_HOC)
                .setRestoreJobId(id)
                .setRequestedBy(actor)
                .build();
        outbox.append(Topics.RESTORE_REQUESTED, spec.targetServerId(), request);
        log.info("{} asked for restore {} of job {} now", actor, requestId, spec.name());
        return new RestoreNow(requestId, id, spec.targetServerId());
    }

    // ---- restore jobs

    @Transactional(readOnly = true)
    public List<Resource<RestoreJobSpec>> restoreJobs() {
        return store.list(Kind.RESTORE_JOB);
    }

    @Transactional(readOnly = true)
    public Resource<RestoreJobSpec> restoreJob(String id) {
        return store.find(Kind.RESTORE_JOB, id).orElseThrow(() -> new NotFoundException("restore job", id));
    }

    @Transactional
    public Resource<RestoreJobSpec> saveRestoreJob(String id, RestoreJobSpec requested, String actor) {
        RestoreJobSpec spec = requested.withDefaults();
        Optional<Resource<RestoreJobSpec>> previous = existing(Kind.RESTORE_JOB, id);
        validator.restoreJob(spec, id);
        Resource<RestoreJobSpec> saved = store.save(Kind.RESTORE_JOB, idOr(Kind.RESTORE_JOB, id), spec.name(), spec,
                Map.of("source_dump_job_id", spec.sourceDumpJobId(), "target_server_id", spec.targetServerId()), previous);
        outbox.append(Topics.CONFIG_RESTORE_JOBS, saved.id(), ConfigEvents.restoreJob(saved, header()));
        log.info("{} {} restore job {} ({}) revision {}", actor, previous.isPresent() ? "updated" : "created", saved.id(),
                spec.name(), saved.revision());
        return saved;
    }

    @Transactional
    public void deleteRestoreJob(String id, String actor) {
        Resource<RestoreJobSpec> job = existing(Kind.RESTORE_JOB, id)
                .orElseThrow(() -> new NotFoundException("restore job", id));
        store.delete(Kind.RESTORE_JOB, id);
        outbox.append(Topics.CONFIG_RESTORE_JOBS, id, null);
        log.info("{} deleted restore job {} ({})", actor, id, job.spec().name());
    }

    // ---- helpers

    /** The item being updated (locked), or empty for a create; an update of an unknown id is a 404. */
    private <S> Optional<Resource<S>> existing(Kind<S> kind, String id) {
        if (id == null) {
            return Optional.empty();
        }
        Optional<Resource<S>> found = store.findForUpdate(kind, id);
        if (found.isEmpty()) {
            throw new NotFoundException(kind.label(), id);
        }
        return found;
    }

    private static String idOr(Kind<?> kind, String id) {
        if (id != null) {
            return id;
        }
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return kind.idPrefix() + "-" + HexFormat.of().formatHex(random);
    }

    private EventHeader header() {
        return EventHeaders.start(producer, clock);
    }
}
