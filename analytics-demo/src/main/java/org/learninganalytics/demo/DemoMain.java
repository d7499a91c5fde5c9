package org.learninganalytics.demo;

import java.util.concurrent.Callable;

import org.learninganalytics.http.ServeCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command line of the demo jar: the server's {@code serve} with demo mode ({@code --demo}), and
 * {@code generate-demo-data}. The production server jar (analytics-http) has neither.
 */
@Command(name = "analytics-demo", mixinStandardHelpOptions = true, version = "analytics-demo 0.1.0",
        description = "Learning Analytics HTTP server with demo mode, and the demo and scale data generator.")
public final class DemoMain implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line: {@code serve} is the server's own command, wrapped by {@link DemoMode}. */
    static CommandLine commandLine() {
        DemoMode demo = new DemoMode();
        CommandLine serve = new CommandLine(new ServeCommand(demo));
        serve.addMixin("demo", demo);
        return new CommandLine(new DemoMain())
                .addSubcommand("serve", serve)
                .addSubcommand("generate-demo-data", new GenerateDemoDataCommand());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
