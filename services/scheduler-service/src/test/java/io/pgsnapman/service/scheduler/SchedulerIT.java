package io.pgsnapman.service.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.BackupWindow;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.schedule.SchedulerProgress;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.ServiceEndpoints;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The scheduler against a real broker and registry, with a clock the test moves. */
@WithKafka
@WithSchemaRegistry
class SchedulerIT {

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;

    SchedulerIT(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    private ServiceApps.Running scheduler(Clock clock) {
        return ServiceApps.start(SchedulerServiceApplication.class, Map.of(
                "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                "spring.kafka.properties.schema.registry.url", registry.url(),
                "pgsnapman.scheduler.tick-interval", "200ms"), Map.of(Clock.class, clock));
    }

    private void publish(String topic, String key, SpecificRecord value) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private void configure(String serverId, String jobId, String cron) throws Exception {
        publish(Topics.CONFIG_SERVERS.name(), serverId, ServerConfig.newBuilder(SampleEvents.serverConfig())
                .setServerId(serverId).setAllowDumps(true).setWorkerPool("default").build());
        publish(Topics.CONFIG_DUMP_JOBS.name(), jobId, DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig())
                .setDumpJobId(jobId).setServerId(serverId).setCron(cron).setTimeZone("UTC").setState(JobState.ACTIVE)
                .setBackupWindow(null).build());
    }

    private <V> AvroDeserializer<V> deserializer() {
        AvroDeserializer<V> d = new AvroDeserializer<>();
        d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return d;
    }

    private void awaitFirstSeen(String jobId) {
        TopicRecords.awaitKey(broker, Topics.SCHEDULER_PROGRESS.name(), this.<SchedulerProgress>deserializer(), jobId,
                Duration.ofSeconds(60));
    }

    /**
     * Returns once the leader ran a whole round after this call began. A job it sees for the first time gets its
     * first sight recorded in a round; once a second new job's is recorded, the round that recorded the first
     * one has ended, with whatever else it published.
     */
    private void awaitWholeRound() throws Exception {
        for (int i = 0; i < 2; i++) {
            String marker = "round-marker-" + UUID.randomUUID();
            configure("srv-marker", marker, "0 0 1 1 *");
            awaitFirstSeen(marker);
        }
    }

    private List<DumpRequested> ticksOf(String jobId, int atLeast) {
        return TopicRecords.readUntil(broker, Topics.SCHEDULE_TICKS.name(), this.<DumpRequested>deserializer(),
                        list -> list.stream().filter(r -> r.value().getDumpJobId().equals(jobId)).count() >= atLeast,
                        Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::value).filter(t -> t.getDumpJobId().equals(jobId)).toList();
    }

    @Test
    void firesAtTheCronInstantAndAfterDowntimeCatchesUpOnce() throws Exception {
        // Given a server and an hourly job, and a scheduler started at 10:30
        configure("srv-catch", "job-catch", "0 * * * *");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:30:00Z"));
        try (ServiceApps.Running first = scheduler(clock)) {
            awaitFirstSeen("job-catch");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(ServiceEndpoints.probeProblems(first.port())).isEmpty());

            // When 11:00 passes
            clock.set(Instant.parse("2026-01-01T11:00:05Z"));

            // Then the 11:00 tick is published for the job's server, on time
            DumpRequested tick = ticksOf("job-catch", 1).get(0);
            assertThat(tick.getDumpId()).isEqualTo("job-catch/20260101T110000Z");
            assertThat(tick.getServerId()).isEqualTo("srv-catch");
            assertThat(tick.getTrigger()).isEqualTo(DumpTrigger.CRON);
            assertThat(tick.getCatchUp()).isFalse();
        }

        // And when no scheduler runs from 11:00 to 14:10 and a new one starts from nothing
        clock.set(Instant.parse("2026-01-01T14:10:00Z"));
        try (ServiceApps.Running second = scheduler(clock)) {
            ticksOf("job-catch", 2);
            // (the 15:00 tick is the sentinel: a second catch-up would be published before it)
            clock.set(Instant.parse("2026-01-01T15:00:05Z"));
            List<DumpRequested> ticks = ticksOf("job-catch", 3);

            // Then the missed hours fire once, as the 14:00 catch-up, and the schedule goes on
            assertThat(ticks).extracting(DumpRequested::getDumpId).containsExactly("job-catch/20260101T110000Z",
                    "job-catch/20260101T140000Z", "job-catch/20260101T150000Z");
            assertThat(ticks).extracting(DumpRequested::getCatchUp).containsExactly(false, true, false);
        }
    }

    @Test
    void aBackupWindowDelaysTicksOnlyWithinItsRealLengthOnBothDaylightSavingNights() throws Exception {
        // Given jobs in Europe/Berlin at 01:30 with the window 01:00-03:00, which on 29 March loses its hour
        // 02:00-03:00: the window closes 30 real minutes after the tick (wall clocks say 90)
        List<String> spring = List.of("dst-spring-1", "dst-spring-2", "dst-spring-3", "dst-spring-4");
        for (String job : spring) {
            configureInBerlin(job, "30 1 * * *", "01:00", "03:00");
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-03-28T23:00:00Z"));
        try (ServiceApps.Running scheduler = scheduler(clock)) {
            awaitFirstSeen(spring);

            // When 01:30 CET passes
            clock.set(Instant.parse("2026-03-29T00:30:05Z"));

            // Then every tick is delayed inside the window as it really is that night
            for (DumpRequested tick : firstTicksOf(spring)) {
                String job = tick.getDumpJobId();
                assertThat(tick.getScheduledAt()).isEqualTo(Instant.parse("2026-03-29T00:30:00Z"));
                assertThat(tick.getNotBefore()).as(job).isNotNull()
                        .isAfter(tick.getScheduledAt()).isBefore(Instant.parse("2026-03-29T01:00:00Z"));
            }

            // And given jobs at 02:30 with the window 02:00-03:00, which on 25 October runs twice: the first
            // 02:30 (CEST) is 90 real minutes before the window closes at 03:00 CET (wall clocks say 30)
            List<String> autumn = List.of("dst-autumn-1", "dst-autumn-2", "dst-autumn-3", "dst-autumn-4");
            clock.set(Instant.parse("2026-10-24T23:00:00Z"));
            for (String job : autumn) {
                configureInBerlin(job, "30 2 * * *", "02:00", "03:00");
            }
            awaitFirstSeen(autumn);

            // When the first 02:30 passes
            clock.set(Instant.parse("2026-10-25T00:30:05Z"));

            // Then the ticks fire once, at the first 02:30, delayed over the window's whole real length
            List<DumpRequested> ticks = firstTicksOf(autumn);
            assertThat(ticks).extracting(DumpRequested::getScheduledAt).containsOnly(Instant.parse("2026-10-25T00:30:00Z"));
            assertThat(ticks).allSatisfy(tick -> assertThat(tick.getNotBefore()).isNotNull()
                    .isAfterOrEqualTo(tick.getScheduledAt()).isBefore(Instant.parse("2026-10-25T02:00:00Z")));
            assertThat(ticks).as("some delay reaches past the 30 minutes a wall clock would allow")
                    .anySatisfy(tick -> assertThat(tick.getNotBefore()).isAfter(Instant.parse("2026-10-25T01:00:00Z")));
        }
    }

    private void awaitFirstSeen(List<String> jobIds) {
        TopicRecords.readUntil(broker, Topics.SCHEDULER_PROGRESS.name(), this.<SchedulerProgress>deserializer(),
                list -> list.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(jobIds),
                Duration.ofSeconds(60));
    }

    /** The first tick of each job, in the order of {@code jobIds}. */
    private List<DumpRequested> firstTicksOf(List<String> jobIds) {
        Map<String, DumpRequested> first = new HashMap<>();
        TopicRecords.readUntil(broker, Topics.SCHEDULE_TICKS.name(), this.<DumpRequested>deserializer(), list -> {
            list.forEach(r -> first.putIfAbsent(r.value().getDumpJobId(), r.value()));
            return first.keySet().containsAll(jobIds);
        }, Duration.ofSeconds(60));
        return jobIds.stream().map(first::get).toList();
    }

    private void configureInBerlin(String jobId, String cron, String windowStart, String windowEnd) throws Exception {
        String serverId = "srv-" + jobId;
        publish(Topics.CONFIG_SERVERS.name(), serverId, ServerConfig.newBuilder(SampleEvents.serverConfig())
                .setServerId(serverId).setAllowDumps(true).setWorkerPool("default").build());
        publish(Topics.CONFIG_DUMP_JOBS.name(), jobId, DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig())
                .setDumpJobId(jobId).setServerId(serverId).setCron(cron).setTimeZone("Europe/Berlin")
                .setState(JobState.ACTIVE)
                .setBackupWindow(BackupWindow.newBuilder().setStart(windowStart).setEnd(windowEnd).build()).build());
    }

    @Test
    void twoReplicasFireEachTickOnce() throws Exception {
        // Given a job every five minutes and two scheduler replicas sharing the clock
        configure("srv-pair", "job-pair", "*/5 * * * *");
        MutableClock clock = new MutableClock(Instant.parse("2026-02-01T08:01:00Z"));
        try (ServiceApps.Running a = scheduler(clock); ServiceApps.Running b = scheduler(clock)) {
            awaitFirstSeen("job-pair");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    a.bean(SchedulerEngine.class).isLeader() || b.bean(SchedulerEngine.class).isLeader());

            // When two instants pass, each followed by a whole round of the leader at that time, and a third one
            // as the sentinel (a duplicate would be published in those rounds, before it)
            clock.set(Instant.parse("2026-02-01T08:05:01Z"));
            ticksOf("job-pair", 1);
            awaitWholeRound();
            clock.set(Instant.parse("2026-02-01T08:10:01Z"));
            ticksOf("job-pair", 2);
            awaitWholeRound();
            clock.set(Instant.parse("2026-02-01T08:15:01Z"));

            // Then each instant was published exactly once, and only one replica leads
            assertThat(ticksOf("job-pair", 3)).extracting(DumpRequested::getDumpId).containsExactly(
                    "job-pair/20260201T080500Z", "job-pair/20260201T081000Z", "job-pair/20260201T081500Z");
            assertThat(a.bean(SchedulerEngine.class).isLeader() && b.bean(SchedulerEngine.class).isLeader()).isFalse();
        }
    }

    @Test
    void whenTheLeaderStopsTheOtherReplicaFiresTheNextInstantExactlyOnce() throws Exception {
        // Given two replicas, one leading, and the 09:05 tick fired
        configure("srv-failover", "job-failover", "*/5 * * * *");
        MutableClock clock = new MutableClock(Instant.parse("2026-02-02T09:01:00Z"));
        try (ServiceApps.Running a = scheduler(clock); ServiceApps.Running b = scheduler(clock)) {
            awaitFirstSeen("job-failover");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    a.bean(SchedulerEngine.class).isLeader() || b.bean(SchedulerEngine.class).isLeader());
            clock.set(Instant.parse("2026-02-02T09:05:01Z"));
            ticksOf("job-failover", 1);

            // When the leader stops
            ServiceApps.Running leader = a.bean(SchedulerEngine.class).isLeader() ? a : b;
            ServiceApps.Running other = leader == a ? b : a;
            leader.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> other.bean(SchedulerEngine.class).isLeader());

            // Then the other replica fires the next instant, once (09:15 is the sentinel), and nothing twice
            clock.set(Instant.parse("2026-02-02T09:10:01Z"));
            ticksOf("job-failover", 2);
            clock.set(Instant.parse("2026-02-02T09:15:01Z"));
            assertThat(ticksOf("job-failover", 3)).extracting(DumpRequested::getDumpId).containsExactly(
                    "job-failover/20260202T090500Z", "job-failover/20260202T091000Z", "job-failover/20260202T091500Z");
        }
    }

    @Test
    void aFinishedDumpFansOutToTheRestoreJobsItTriggers() throws Exception {
        // Given two restore jobs on a dump job, and a running scheduler
        for (String target : List.of("srv-fan-1", "srv-fan-2")) {
            publish(Topics.CONFIG_RESTORE_JOBS.name(), "rjob-" + target, RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig())
                    .setRestoreJobId("rjob-" + target).setSourceDumpJobId("job-fan").setTargetServerId(target)
                    .setTrigger(RestoreJobTrigger.ON_DUMP).setState(JobState.ACTIVE).build());
        }
        try (ServiceApps.Running scheduler = scheduler(new MutableClock(Instant.parse("2026-03-01T00:00:00Z")))) {
            // When a dump of that job SUCCEEDED and another one FAILED
            publish(Topics.DUMP_COMPLETED.name(), "job-fan", DumpCompleted.newBuilder(SampleEvents.dumpCompleted())
                    .setDumpJobId("job-fan").setDumpId("job-fan/20260301T020000Z").setOutcome(Outcome.FAILED).build());
            publish(Topics.DUMP_COMPLETED.name(), "job-fan", DumpCompleted.newBuilder(SampleEvents.dumpCompleted())
                    .setDumpJobId("job-fan").setDumpId("job-fan/20260301T030000Z").setOutcome(Outcome.SUCCEEDED)
                    .setFailure(null).build());

            // Then the successful one is requested on both targets, keyed by target server
            List<ConsumerRecord<String, RestoreRequested>> requests = TopicRecords.readUntil(broker,
                    Topics.RESTORE_REQUESTED.name(), this.<RestoreRequested>deserializer(),
                    list -> list.stream().filter(r -> r.value().getSourceDumpJobId().equals("job-fan")).count() >= 2,
                    Duration.ofSeconds(60));
            assertThat(requests).filteredOn(r -> r.value().getSourceDumpJobId().equals("job-fan"))
                    .extracting(ConsumerRecord::key, r -> r.value().getRestoreRequestId())
                    .containsExactlyInAnyOrder(
                            tuple("srv-fan-1", "rjob-srv-fan-1/job-fan/20260301T030000Z"),
                            tuple("srv-fan-2", "rjob-srv-fan-2/job-fan/20260301T030000Z"));
        }
    }

    @Test
    void aCronRestoreJobAsksForTheLatestDumpOfItsSourceAtItsInstant() throws Exception {
        // Given a restore job every day at 06:00 and a running scheduler that has seen it
        publish(Topics.CONFIG_RESTORE_JOBS.name(), "rjob-cron", RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig())
                .setRestoreJobId("rjob-cron").setSourceDumpJobId("job-nightly").setTargetServerId("srv-test")
                .setTargetDatabaseName("shop_test").setTrigger(RestoreJobTrigger.CRON).setCron("0 6 * * *")
                .setTimeZone("UTC").setState(JobState.ACTIVE).build());
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T05:00:00Z"));
        try (ServiceApps.Running scheduler = scheduler(clock)) {
            awaitFirstSeen("rjob-cron");

            // When 06:00 passes
            clock.set(Instant.parse("2026-04-01T06:00:01Z"));

            // Then a CRON request for the latest dump of the source job is published, keyed by the target
            ConsumerRecord<String, RestoreRequested> request = TopicRecords.readUntil(broker, Topics.RESTORE_REQUESTED.name(),
                            this.<RestoreRequested>deserializer(),
                            list -> list.stream().anyMatch(r -> "rjob-cron".equals(r.value().getRestoreJobId())),
                            Duration.ofSeconds(60))
                    .stream().filter(r -> "rjob-cron".equals(r.value().getRestoreJobId())).findFirst().orElseThrow();
            assertThat(request.key()).isEqualTo("srv-test");
            assertThat(request.value().getRestoreRequestId()).isEqualTo("rjob-cron/20260401T060000Z");
            assertThat(request.value().getDumpId()).isNull();
            assertThat(request.value().getSourceDumpJobId()).isEqualTo("job-nightly");
            assertThat(request.value().getTrigger()).isEqualTo(RestoreTrigger.CRON);
        }
    }
}
