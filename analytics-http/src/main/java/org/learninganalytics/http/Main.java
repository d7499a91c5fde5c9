package org.learninganalytics.http;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command line of the server jar: {@code serve}, the DBA commands {@code migrate}, {@code info}
 * and {@code validate}, and {@code run-job}, which do not start the server. Demo mode lives in the demo jar (analytics-demo).
 */
@Command(name = "analytics-http", mixinStandardHelpOptions = true, version = "analytics-http 0.1.0",
        description = "Learning Analytics HTTP server over PostgreSQL.",
        subcommands = {ServeCommand.class, MigrateCommand.class, InfoCommand.class, ValidateCommand.class, RunJobCommand.class})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
