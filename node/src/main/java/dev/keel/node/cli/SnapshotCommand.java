package dev.keel.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code keel snapshot}: etcdctl's snapshot commands that act on files (today: {@code restore}). */
@Command(name = "snapshot", mixinStandardHelpOptions = true, subcommands = SnapshotRestoreCommand.class,
        description = "Works with snapshot files saved by 'etcdctl snapshot save' from a Keel member.")
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: restore");
    }
}
