package io.pgsnapman.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: run alone, it says which subcommands there are (exit code 2). */
abstract class GroupCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand: " + String.join(", ", spec.subcommands().keySet()));
    }
}
