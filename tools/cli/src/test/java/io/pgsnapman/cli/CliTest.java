package io.pgsnapman.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

class CliTest {

    @Test
    void setValuesBecomeNumbersBooleansJsonOrTextAndDottedKeysNest() {
        ResourceCommands.Fields fields = new ResourceCommands.Fields();
        fields.sets.addAll(java.util.List.of("port=5432", "allowRestores=true", "name=prod", "cron=0 2 * * *",
                "options.existingDatabase=DROP", "options.parallelJobs=4", "labels={\"team\":\"data\"}"));

        ObjectNode body = fields.applyTo(Api.JSON.createObjectNode());

        assertThat(body.get("port").isNumber()).isTrue();
        assertThat(body.get("allowRestores").isBoolean()).isTrue();
        assertThat(body.get("cron").asString()).isEqualTo("0 2 * * *");
        assertThat(body.get("options").get("existingDatabase").asString()).isEqualTo("DROP");
        assertThat(body.get("options").get("parallelJobs").asInt()).isEqualTo(4);
        assertThat(body.get("labels").get("team").asString()).isEqualTo("data");
    }

    @Test
    void apiRefusalsKeepEveryFieldAndReasonAndMapToExitCodes() {
        CliException refused = CliException.fromAnswer("POST /api/v1/servers", 400,
                "{\"detail\":\"invalid request\",\"errors\":[{\"field\":\"port\",\"reason\":\"must be at most 65535\"}]}");

        assertThat(refused.exitCode).isEqualTo(CliException.REFUSED);
        assertThat(refused.getMessage()).contains("HTTP 400", "invalid request", "port: must be at most 65535");
        assertThat(CliException.fromAnswer("GET x", 404, "").exitCode).isEqualTo(CliException.NOT_FOUND);
        assertThat(CliException.fromAnswer("GET x", 401, "").getMessage()).contains("PGSNAPMAN_TOKEN");
        assertThat(CliException.fromAnswer("GET x", 503, "down").exitCode).isEqualTo(CliException.FAILED);
    }

    @Test
    void aGroupWithoutSubcommandIsAUsageErrorNamingTheSubcommands() {
        StringWriter err = new StringWriter();
        CommandLine cli = PgSnapManCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("dump-job");

        assertThat(exit).isEqualTo(CliException.USAGE);
        assertThat(err.toString()).contains("add", "list", "halt", "resume");
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine cli = PgSnapManCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("Examples:", "dump now", "Exit codes:");
    }

    @Test
    void aRestoreOutcomeLineSaysHowManyAttemptsItTookWhenMoreThanOne() {
        RestoreCompleted.Builder outcome = RestoreCompleted.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId("e-1").setOccurredAt(Instant.parse("2026-11-21T10:00:00Z"))
                        .setProducer("restore-worker/rw-0").setCorrelationId("e-0").build())
                .setRestoreRequestId("req-1").setOutcome(Outcome.SUCCEEDED).setTargetServerId("srv-test")
                .setTargetDatabaseName("shop_copy").setFinishedAt(Instant.parse("2026-11-21T10:00:00Z")).setRowCountsMatch(true);

        EventsCommand.Line once = EventsCommand.describe(outcome.build());
        EventsCommand.Line retried = EventsCommand.describe(outcome.setAttempts(2).build());

        assertThat(once.text()).isEqualTo("SUCCEEDED into shop_copy, rows match: true");
        assertThat(retried.text()).isEqualTo("SUCCEEDED into shop_copy, rows match: true (after 2 attempts)");
        assertThat(retried.kind()).isEqualTo(EventsCommand.Kind.RESTORE);
    }

    @Test
    void kafkaClientSettingsComeFromTheFileWithExplicitConnectionSettingsWinning() {
        // Given a Kafka client properties file for a secured broker
        Properties file = new Properties();
        file.setProperty("bootstrap.servers", "kafka.internal:9093");
        file.setProperty("security.protocol", "SASL_SSL");
        file.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        file.setProperty("schema.registry.url", "https://registry.internal");

        // When nothing else names the broker or the registry, Then the file's settings are used as they are
        assertThat(PgSnapManCli.kafkaClient(file, null, null)).containsEntry("bootstrap.servers", "kafka.internal:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("schema.registry.url", "https://registry.internal");
        // When --kafka and --registry-url are given, Then they win and the security settings stay
        assertThat(PgSnapManCli.kafkaClient(file, "other:9093", "https://other")).containsEntry("bootstrap.servers", "other:9093")
                .containsEntry("schema.registry.url", "https://other").containsEntry("security.protocol", "SASL_SSL");
        // When there is no file and nothing given, Then the local stack's plaintext defaults apply
        assertThat(PgSnapManCli.kafkaClient(new Properties(), null, null)).containsOnlyKeys("bootstrap.servers",
                "schema.registry.url").containsEntry("bootstrap.servers", "127.0.0.1:18092");
    }
}
