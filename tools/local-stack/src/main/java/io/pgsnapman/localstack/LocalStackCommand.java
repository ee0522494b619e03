package io.pgsnapman.localstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pgsnapman-local}: runs PgSnapMan on this machine. {@code up} starts everything and stays in the
 * foreground until Ctrl-C (which stops everything); {@code down} stops a stack started elsewhere;
 * {@code demo} starts a stack, runs the main job end to end, prints the catalog and the comparison of source
 * and copy, and stops it again (or keeps it with {@code --keep}).
 */
@Command(name = "pgsnapman-local", mixinStandardHelpOptions = true,
        description = "Runs PgSnapMan on this machine: PostgreSQL, a Kafka broker, the schema registry and the five services.",
        subcommands = {LocalStackCommand.Up.class, LocalStackCommand.Down.class, LocalStackCommand.Status.class,
                LocalStackCommand.DemoCommand.class},
        footer = {"", "Examples:", "  pgsnapman-local demo            # the whole thing once, then stop",
                "  pgsnapman-local up              # run until Ctrl-C", "  pgsnapman-local down            # stop a stack run from another terminal",
                "  pgsnapman-local up --base-port 28000 --data-dir /tmp/second-stack"})
public final class LocalStackCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Exit code when a stack cannot start or the demo fails. */
    static final int FAILED = 1;

    static class Where {
        @Option(names = "--data-dir", description = "All state of the stack (default: ${DEFAULT-VALUE}).",
                defaultValue = "${env:PGSNAPMAN_LOCAL_DIR:-.local-stack}")
        Path dataDir;

        @Option(names = "--base-port", description = "Ports are derived from it (default: ${DEFAULT-VALUE}).",
                defaultValue = "" + StackLayout.DEFAULT_BASE_PORT)
        int basePort;

        @Option(names = "--postgres", paramLabel = "HOST:PORT", description = "Use this PostgreSQL server (password in"
                + " PGSNAPMAN_LOCAL_PG_PASSWORD) instead of starting a throw-away cluster.")
        String postgres;

        @Option(names = "--postgres-user", description = "Role on --postgres (default: ${DEFAULT-VALUE}); it creates"
                + " PgSnapMan's databases and the demo's.", defaultValue = "postgres")
        String postgresUser;

        @Option(names = "--secure-kafka", description = "Kafka with TLS, SCRAM-SHA-512 and an ACL set per service (as in"
                + " deploy/k8s) instead of plaintext; tools connect with the settings in <data-dir>/kafka-client.properties.")
        boolean secureKafka;

        StackLayout layout() {
            Path root = Path.of(System.getProperty("pgsnapman.repo", ".")).toAbsolutePath().normalize();
            StackLayout.GivenPostgres given = null;
            if (postgres != null) {
                int colon = postgres.lastIndexOf(':');
                try {
                    given = new StackLayout.GivenPostgres(colon < 0 ? postgres : postgres.substring(0, colon),
                            colon < 0 ? 5432 : Integer.parseInt(postgres.substring(colon + 1)), postgresUser);
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--postgres " + postgres
                            + ": expected HOST:PORT");
                }
            }
            return new StackLayout(root, root.resolve(dataDir).toAbsolutePath().normalize(), basePort, given, secureKafka);
        }
    }

    @Command(name = "up", description = "Start everything, print where each part listens, run until Ctrl-C.")
    static class Up implements Callable<Integer> {
        @CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            LocalStack stack = LocalStack.up(where.layout(), out);
            printEndpoints(stack, out);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (stack.running()) {
                    out.println("stopping PgSnapMan");
                }
                stack.close();
            }));
            out.println("running; Ctrl-C (or pgsnapman-local down) stops everything");
            waitWhileRunning(stack, out);
            return 0;
        }
    }

    @Command(name = "down", description = "Stop a stack started from this data directory (no process is left).")
    static class Down implements Callable<Integer> {
        @CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            LocalStack.down(where.layout(), System.out);
            System.out.println("stopped");
            return 0;
        }
    }

    @Command(name = "status", description = "Show which parts of the stack are running and where.")
    static class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            StackLayout layout = where.layout();
            int running = 0;
            for (String[] p : Processes.recordedPids(layout)) {
                boolean alive = ProcessHandle.of(Long.parseLong(p[1])).map(ProcessHandle::isAlive).orElse(false);
                System.out.printf("%-18s pid %-8s %s%n", p[0], p[1], alive ? "running" : "gone");
                running += alive ? 1 : 0;
            }
            layout.ports().forEach((what, port) ->
                    System.out.printf("%-18s port %-6d %s%n", what, port, Processes.listening(port) ? "listening" : "free"));
            return running > 0 ? 0 : 3;
        }
    }

    @Command(name = "demo", description = "Start a stack, dump a sample database, let it fan out to a copy, print the"
            + " catalog and the comparison of source and copy, stop.")
    static class DemoCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Where where = new Where();

        @Option(names = "--keep", description = "Leave the stack running afterwards (until Ctrl-C).")
        boolean keep;

        @Option(names = "--rows", description = "Orders in the sample database (default: ${DEFAULT-VALUE}).",
                defaultValue = "50000")
        int rows;

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            LocalStack stack = LocalStack.up(where.layout(), out);
            Thread hook = new Thread(stack::close);
            Runtime.getRuntime().addShutdownHook(hook);
            boolean same;
            try {
                printEndpoints(stack, out);
                same = new Demo(stack, out).run(rows);
            } finally {
                if (!keep) {
                    stack.close();
                }
            }
            if (keep) {
                out.println("the stack keeps running; Ctrl-C (or pgsnapman-local down) stops it");
                waitWhileRunning(stack, out);
            }
            return same ? 0 : FAILED;
        }
    }

    /** Returns when the stack was stopped, here (Ctrl-C runs the shutdown hook) or with {@code down} elsewhere. */
    static void waitWhileRunning(LocalStack stack, PrintStream out) throws InterruptedException {
        while (stack.running()) {
            TimeUnit.SECONDS.sleep(1);
        }
        out.println("stopped");
    }

    static void printEndpoints(LocalStack stack, PrintStream out) {
        StackLayout l = stack.layout();
        out.println();
        out.printf("  config API     %s/api/v1   (OpenAPI: /v3/api-docs)%n", l.serviceUrl(StackLayout.Service.CONFIG));
        out.printf("  catalog API    %s/api/v1%n", l.serviceUrl(StackLayout.Service.CATALOG));
        out.printf("  Kafka          %s%s (client settings in %s)%n", l.kafkaBootstrap(),
                l.secure() ? " TLS, a user with its own ACLs per service (SCRAM; the restore-worker by certificate)" : "", l.kafkaClientConfig());
        out.printf("  registry       %s%n", l.registryUrl());
        out.printf("  PostgreSQL     %s:%d (user %s, password in %s)%n", l.postgresHost(), l.postgresPort(),
                l.postgresUser(), l.credentials().resolve("local"));
        out.printf("  admin token    in %s%n", l.tokens());
        out.printf("  scripts        %s (SCRIPT jobs and hooks, by name: docs/scripts.md)%n", l.scripts());
        out.printf("  logs           %s%n", l.logs());
        out.println();
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LocalStackCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return FAILED;
        });
        System.exit(cli.execute(args));
    }
}
