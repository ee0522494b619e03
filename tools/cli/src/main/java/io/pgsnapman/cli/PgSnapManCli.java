package io.pgsnapman.cli;

import io.pgsnapman.registry.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code pgsnapman}: manage PgSnapMan from a terminal. Talks to config-service and catalog-service over
 * REST with a bearer token, and to Kafka for {@code events tail}. Settings come from options, then the
 * environment ({@code PGSNAPMAN_TOKEN}, {@code PGSNAPMAN_CONFIG_URL}, ...), then a config file
 * ({@code ~/.config/pgsnapman/cli.properties}), then the local stack's defaults. A secured Kafka (TLS, SCRAM, mutual
 * TLS) and registry (TLS, basic auth) are reached with a Kafka client properties file ({@code --kafka-config}).
 */
@Command(name = "pgsnapman", mixinStandardHelpOptions = true, version = "pgsnapman 0.1.0",
        description = "Manage PgSnapMan: servers, dump and restore jobs, dumps and restores, the catalog, the event streams.",
        subcommands = {ResourceCommands.Servers.class, ResourceCommands.DumpJobs.class, ResourceCommands.RestoreJobs.class,
                WorkCommands.Dump.class, WorkCommands.Restore.class, CatalogCommand.class, RepositoryCommand.class,
                EventsCommand.class, StatusCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "Examples:",
                "  export PGSNAPMAN_TOKEN=$(cut -d: -f3 .local-stack/tokens)",
                "  pgsnapman server add --set name=prod --set host=db1 \\",
                "      --set port=5432 --set credentialRef=prod",
                "  pgsnapman dump-job add --set name=shop --set serverId=srv-1 \\",
                "      --set dumpType=FULL --set databaseName=shop --set 'cron=0 2 * * *'",
                "  pgsnapman status",
                "  pgsnapman dump now job-1 --wait",
                "  pgsnapman catalog list --output json",
                "  pgsnapman events tail --kind dump",
                "  source <(pgsnapman generate-completion)",
                "", "Exit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 refused, 5 unreachable."})
public final class PgSnapManCli implements Runnable {

    static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config-url", description = "config-service base URL (env PGSNAPMAN_CONFIG_URL).")
    String configUrl;

    @Option(names = "--catalog-url", description = "catalog-service base URL (env PGSNAPMAN_CATALOG_URL).")
    String catalogUrl;

    @Option(names = "--token", description = "API token (env PGSNAPMAN_TOKEN); better not on the command line.")
    String token;

    @Option(names = "--kafka", description = "Kafka bootstrap servers, for events (env PGSNAPMAN_KAFKA_BOOTSTRAP).")
    String kafka;

    @Option(names = "--registry-url", description = "Schema registry URL, for events (env PGSNAPMAN_SCHEMA_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for events, as Kafka's own"
            + " tools take them: security.protocol, sasl.*, ssl.* (TLS, SCRAM, mutual TLS), schema.registry.* (registry TLS and"
            + " basic auth); --kafka and --registry-url win over the file (env PGSNAPMAN_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--config-file", description = "Settings file (default: ~/.config/pgsnapman/cli.properties).")
    Path configFile;

    @Option(names = {"-o", "--output"}, description = "table (default) or json.", defaultValue = "table",
            scope = CommandLine.ScopeType.INHERIT)
    Output.Format output;

    private Properties file;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Api config() {
        return new Api(setting(configUrl, "PGSNAPMAN_CONFIG_URL", "config-url", "http://127.0.0.1:18100"), token());
    }

    Api catalog() {
        return new Api(setting(catalogUrl, "PGSNAPMAN_CATALOG_URL", "catalog-url", "http://127.0.0.1:18104"), token());
    }

    /** The Kafka client settings for reading events: the {@code --kafka-config} file's, then the connection settings. */
    Map<String, Object> kafkaClient() {
        Properties fromFile = new Properties();
        String config = setting(kafkaConfig == null ? null : kafkaConfig.toString(), "PGSNAPMAN_KAFKA_CONFIG", "kafka-config",
                null);
        if (config != null) {
            try (Reader reader = Files.newBufferedReader(Path.of(config))) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "cannot read the Kafka client settings " + config + ": " + e);
            }
        }
        return kafkaClient(fromFile, setting(kafka, "PGSNAPMAN_KAFKA_BOOTSTRAP", "kafka", null),
                setting(registryUrl, "PGSNAPMAN_SCHEMA_REGISTRY_URL", "registry-url", null));
    }

    /**
     * Kafka client settings from a properties file's, with the bootstrap servers and registry URL given elsewhere
     * winning, and the local stack's when neither names them.
     */
    static Map<String, Object> kafkaClient(Properties fromFile, String bootstrap, String registry) {
        Map<String, Object> settings = new HashMap<>();
        fromFile.stringPropertyNames().forEach(key -> settings.put(key, fromFile.getProperty(key).strip()));
        settings.compute(BOOTSTRAP_SERVERS, (key, file) -> bootstrap != null ? bootstrap : file != null ? file : "127.0.0.1:18092");
        settings.compute(AvroSerdeConfig.SCHEMA_REGISTRY_URL, (key, file) -> registry != null ? registry
                : file != null ? file : "http://127.0.0.1:18081/apis/ccompat/v7");
        return settings;
    }

    private String token() {
        return setting(token, "PGSNAPMAN_TOKEN", "token", null);
    }

    Output out() {
        return new Output(spec.commandLine().getOut(), output);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private String setting(String option, String variable, String key, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String env = System.getenv(variable);
        if (env != null && !env.isBlank()) {
            return env;
        }
        String fromFile = file().getProperty(key);
        return fromFile != null && !fromFile.isBlank() ? fromFile.strip() : fallback;
    }

    private Properties file() {
        if (file == null) {
            file = new Properties();
            Path path = configFile != null ? configFile
                    : Path.of(System.getProperty("user.home"), ".config", "pgsnapman", "cli.properties");
            if (Files.isReadable(path)) {
                try (Reader reader = Files.newBufferedReader(path)) {
                    file.load(reader);
                } catch (IOException e) {
                    throw new CliException(CliException.USAGE, "cannot read " + path + ": " + e.getMessage());
                }
            } else if (configFile != null) {
                throw new CliException(CliException.USAGE, "no config file " + path);
            }
        }
        return file;
    }

    /** A command line with the CLI's error handling: one line and the exit code. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PgSnapManCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("error: " + failure.getMessage());
                return failure.exitCode;
            }
            commandLine.getErr().println("error: " + e);
            return CliException.FAILED;
        });
        cli.setExitCodeExceptionMapper(e -> CliException.USAGE);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
