package io.pgsnapman.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code server}, {@code dump-job} and {@code restore-job}, each with add / list / show / edit / delete (and
 * halt / resume for jobs). Fields are given as {@code --set key=value} (dotted keys for nested fields, values
 * that look like numbers, booleans or JSON are sent as such) or as a whole JSON document with {@code --file}.
 */
final class ResourceCommands {

    private ResourceCommands() {}

    /** One kind of configuration item and how the CLI shows it. */
    abstract static class Group extends GroupCommand {
        @ParentCommand
        PgSnapManCli root;

        abstract String path();

        abstract List<String> columns();

        /** How halt / resume are done: the job's own endpoints, or by editing its state. */
        abstract boolean haltByEndpoint();
    }

    /** A subcommand about one item, named by its id. */
    abstract static class OnOne implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Parameters(paramLabel = "ID")
        String id;
    }

    @Command(name = "server", description = "PostgreSQL servers PgSnapMan dumps from or restores to.",
            subcommands = {Add.class, ListItems.class, Show.class, Edit.class, Delete.class})
    static final class Servers extends Group {
        String path() {
            return "/api/v1/servers";
        }

        List<String> columns() {
            return List.of("id", "name", "host", "port", "allowDumps", "allowRestores", "workerPool");
        }

        boolean haltByEndpoint() {
            return false;
        }
    }

    @Command(name = "dump-job", description = "What to dump, where from, and on which schedule.",
            subcommands = {Add.class, ListItems.class, Show.class, Edit.class, Delete.class, Halt.class, Resume.class})
    static final class DumpJobs extends Group {
        String path() {
            return "/api/v1/dump-jobs";
        }

        List<String> columns() {
            return List.of("id", "name", "serverId", "dumpType", "databaseName", "cron", "timeZone", "state");
        }

        boolean haltByEndpoint() {
            return true;
        }
    }

    @Command(name = "restore-job", description = "Copies of a dump job's dumps into a database on a target server.",
            subcommands = {Add.class, ListItems.class, Show.class, Edit.class, Delete.class, Halt.class, Resume.class})
    static final class RestoreJobs extends Group {
        String path() {
            return "/api/v1/restore-jobs";
        }

        List<String> columns() {
            return List.of("id", "name", "sourceDumpJobId", "targetServerId", "targetDatabaseName", "trigger", "state");
        }

        boolean haltByEndpoint() {
            return false;
        }
    }

    /** Fields from {@code --set} and {@code --file}. */
    static class Fields {
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A field, e.g. name=prod, port=5432,"
                + " options.existingDatabase=DROP (repeatable).")
        List<String> sets = new ArrayList<>();

        @Option(names = "--file", paramLabel = "JSON", description = "A JSON document with the fields.")
        java.nio.file.Path file;

        ObjectNode applyTo(ObjectNode base) {
            if (file != null) {
                try {
                    JsonNode read = Api.JSON.readTree(java.nio.file.Files.readString(file));
                    if (!read.isObject()) {
                        throw new CliException(CliException.USAGE, file + " does not hold a JSON object");
                    }
                    base.setAll((ObjectNode) read);
                } catch (java.io.IOException e) {
                    throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getMessage());
                }
            }
            for (String set : sets) {
                int eq = set.indexOf('=');
                if (eq <= 0) {
                    throw new CliException(CliException.USAGE, "--set " + set + ": expected KEY=VALUE");
                }
                String[] path = set.substring(0, eq).split("\\.");
                ObjectNode target = base;
                for (int i = 0; i < path.length - 1; i++) {
                    JsonNode child = target.get(path[i]);
                    target = child instanceof ObjectNode object ? object : target.putObject(path[i]);
                }
                target.set(path[path.length - 1], value(set.substring(eq + 1)));
            }
            return base;
        }

        /** {@code 5432} a number, {@code true} a boolean, {@code {..}} / {@code [..]} JSON, anything else a string. */
        static JsonNode value(String text) {
            if (text.matches("-?\\d+(\\.\\d+)?") || text.equals("true") || text.equals("false") || text.equals("null")
                    || text.startsWith("{") || text.startsWith("[")) {
                try {
                    return Api.JSON.readTree(text);
                } catch (RuntimeException notJson) {
                    // a string after all
                }
            }
            return Api.JSON.getNodeFactory().textNode(text);
        }
    }

    @Command(name = "add", description = "Add one (admin).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        Group group;

        @picocli.CommandLine.Mixin
        Fields fields = new Fields();

        @Override
        public Integer call() {
            JsonNode created = group.root.config().post(group.path(), fields.applyTo(Api.JSON.createObjectNode()));
            Output out = group.root.out();
            if (out.json()) {
                out.item(created);
            } else {
                out.line(created.get("id").asString());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List them.")
    static final class ListItems implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Override
        public Integer call() {
            group.root.out().list(group.root.config().get(group.path()), group.columns());
            return 0;
        }
    }

    @Command(name = "show", description = "Show one with every field.")
    static final class Show extends OnOne {

        @Override
        public Integer call() {
            group.root.out().item(group.root.config().get(group.path() + "/" + id));
            return 0;
        }
    }

    @Command(name = "edit", description = "Change fields of one (admin); the others keep their values.")
    static final class Edit extends OnOne {

        @picocli.CommandLine.Mixin
        Fields fields = new Fields();

        @Override
        public Integer call() {
            JsonNode saved = replace(group, id, current -> fields.applyTo(current));
            group.root.out().item(saved);
            return 0;
        }
    }

    /** Reads the item, changes it, and writes it back without its read-only fields. */
    static JsonNode replace(Group group, String id, java.util.function.UnaryOperator<ObjectNode> change) {
        ObjectNode current = (ObjectNode) group.root.config().get(group.path() + "/" + id);
        for (String readOnly : List.of("id", "revision", "createdAt", "updatedAt")) {
            current.remove(readOnly);
        }
        return group.root.config().put(group.path() + "/" + id, change.apply(current));
    }

    @Command(name = "delete", description = "Delete one (admin).")
    static final class Delete extends OnOne {

        @Override
        public Integer call() {
            group.root.config().delete(group.path() + "/" + id);
            group.root.out().line("deleted " + id);
            return 0;
        }
    }

    @Command(name = "halt", description = "Stop scheduling the job (admin); dumps and copies already taken stay.")
    static final class Halt extends OnOne {

        @Override
        public Integer call() {
            return setState(group, id, "halt", "HALTED");
        }
    }

    @Command(name = "resume", description = "Schedule the job again (admin).")
    static final class Resume extends OnOne {

        @Override
        public Integer call() {
            return setState(group, id, "resume", "ACTIVE");
        }
    }

    private static int setState(Group group, String id, String endpoint, String state) {
        JsonNode saved = group.haltByEndpoint()
                ? group.root.config().post(group.path() + "/" + id + "/" + endpoint, null)
                : replace(group, id, current -> current.put("state", state));
        group.root.out().line(id + " " + Output.text(saved, "state"));
        if (group.root.out().json()) {
            group.root.out().item(saved);
        }
        return 0;
    }
}
