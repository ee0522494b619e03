package io.pgsnapman.service.catalog.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.service.catalog.settings.NotificationProperties;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NotificationsTest {

    @Test
    void aFailedDumpIsNotifiedWithTheReasonAndTheToolsLastLineAndASucceededOneIsNot() {
        DumpCompleted failed = DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setDumpId("job-1/20260801T020000Z")
                .setDumpJobId("job-1").setServerId("srv-1").setOutcome(Outcome.FAILED)
                .setFailure(Failure.newBuilder().setReason("pg_dump exited with 1")
                        .setStderrExcerpt("pg_dump: error: first\npg_dump: detail: database \"x\" does not exist\n").build()).build();

        Notification n = Notifications.of(failed).orElseThrow();

        assertThat(n.kind()).isEqualTo(NotificationKind.DUMP_FAILED);
        assertThat(n.key()).isEqualTo("DUMP_FAILED/job-1/20260801T020000Z");
        assertThat(n.text()).endsWith("FAILED: pg_dump exited with 1 — pg_dump: detail: database \"x\" does not exist");
        assertThat(n.title()).isEqualTo("Dump failed: job job-1");
        assertThat(Notifications.of(DumpCompleted.newBuilder(failed).setOutcome(Outcome.SUCCEEDED).build())).isEmpty();
    }

    @Test
    void rejectedAndFailedRestoresAreNotifiedButNotTestRestoresOrSuccesses() {
        RestoreCompleted rejected = RestoreCompleted.newBuilder(SampleEvents.restoreCompleted()).setRestoreRequestId("r-1")
                .setPurpose(RestorePurpose.RESTORE).setOutcome(Outcome.REJECTED)
                .setFailure(Failure.newBuilder().setReason("target does not allow restores").build()).build();

        assertThat(Notifications.of(rejected).orElseThrow().kind()).isEqualTo(NotificationKind.RESTORE_REJECTED);
        assertThat(Notifications.of(RestoreCompleted.newBuilder(rejected).setOutcome(Outcome.FAILED).build()).orElseThrow().kind())
                .isEqualTo(NotificationKind.RESTORE_FAILED);
        assertThat(Notifications.of(RestoreCompleted.newBuilder(rejected).setPurpose(RestorePurpose.VERIFY).build())).isEmpty();
        assertThat(Notifications.of(RestoreCompleted.newBuilder(rejected).setOutcome(Outcome.SUCCEEDED).build())).isEmpty();
    }

    @Test
    void passwordsInTextAreHiddenWhereverTheyAppear() {
        assertThat(Redaction.clean("host=db1 password=hunter2 user=app")).isEqualTo("host=db1 password=*** user=app");
        assertThat(Redaction.clean("PGPASSWORD='s3 cret' pg_dump")).isEqualTo("PGPASSWORD=*** pg_dump");
        assertThat(Redaction.clean("postgresql://app:hunter2@db1:5432/shop")).isEqualTo("postgresql://app:***@db1:5432/shop");
        assertThat(Redaction.clean("Authorization: Bearer abcdefgh12345678")).isEqualTo("Authorization: Bearer ***");
        assertThat(Redaction.clean("database \"ghost\" does not exist")).isEqualTo("database \"ghost\" does not exist");
        assertThat(new Notification(NotificationKind.DUMP_FAILED, "k", Instant.EPOCH, "s", null, "j", null, "d",
                "failed: password: hunter2").text()).doesNotContain("hunter2");
    }

    @Test
    void retriesWaitTwiceAsLongEachTimeUpToTheCapWithJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1), 5);
        RandomGenerator middle = new java.util.Random() {
            @Override
            public double nextDouble() {
                return 0.5;
            }
        };

        assertThat(List.of(1, 2, 3, 4, 5).stream().map(n -> backoff.after(n, middle)).toList())
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofMinutes(1),
                        Duration.ofMinutes(1));
        assertThat(backoff.after(1, RandomGenerator.getDefault())).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        assertThat(backoff.exhausted(4)).isFalse();
        assertThat(backoff.exhausted(5)).isTrue();
    }

    @Test
    void aDestinationWantsOnlyWhatItsFiltersLetThroughAndAnIncompleteOneIsRefused() {
        NotificationProperties.Destination ops = new NotificationProperties.Destination("ops", NotificationProperties.Type.SLACK,
                URI.create("https://hooks.example.com/x"), List.of(), Set.of(NotificationKind.DUMP_FAILED), Set.of("srv-1"), Set.of());

        assertThat(ops.wants(NotificationKind.DUMP_FAILED, "srv-1", "any-job")).isTrue();
        assertThat(ops.wants(NotificationKind.DUMP_FAILED, "srv-2", "any-job")).isFalse();
        assertThat(ops.wants(NotificationKind.RESTORE_FAILED, "srv-1", "any-job")).isFalse();
        assertThatThrownBy(() -> new NotificationProperties.Destination("hook", NotificationProperties.Type.WEBHOOK, null,
                List.of(), Set.of(), Set.of(), Set.of())).hasMessageContaining("'hook'").hasMessageContaining("url");
        assertThatThrownBy(() -> new NotificationProperties.Destination("mail", NotificationProperties.Type.EMAIL, null,
                List.of(), Set.of(), Set.of(), Set.of())).hasMessageContaining("'mail'").hasMessageContaining("to");
    }

    @Test
    void aWebhookGetsEveryFieldAndSlackItsTextFormat() {
        HttpSender sender = new HttpSender(JsonMapper.builder().build(), Duration.ofSeconds(1));
        Notification n = new Notification(NotificationKind.BACKUP_MISSING, "k", Instant.parse("2026-08-01T00:00:00Z"), "srv-1",
                "production", "job-1", "shop-nightly", "job-1", "No recent verified dump.");

        JsonNode webhook = JsonMapper.builder().build().readTree(sender.body(NotificationProperties.Type.WEBHOOK, n));
        JsonNode slack = JsonMapper.builder().build().readTree(sender.body(NotificationProperties.Type.SLACK, n));

        assertThat(webhook.get("kind").asString()).isEqualTo("BACKUP_MISSING");
        assertThat(webhook.get("title").asString()).isEqualTo("Backup missing: job shop-nightly");
        assertThat(webhook.get("server").asString()).isEqualTo("production");
        assertThat(webhook.get("occurredAt").asString()).isEqualTo("2026-08-01T00:00:00Z");
        assertThat(slack.get("text").asString()).isEqualTo("*PgSnapMan — Backup missing: job shop-nightly*\nNo recent verified dump.");
        assertThat(MailSender.body(n)).contains("Server: production (srv-1)", "Dump job: shop-nightly (job-1)");
    }
}
