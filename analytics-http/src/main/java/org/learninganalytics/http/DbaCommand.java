package org.learninganalytics.http;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;

import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A DBA command ({@code migrate}, {@code info}, {@code validate}): connects as the migration
 * login with the same options as {@code serve}, prints to standard output, and on failure
 * prints one line to standard error and exits 1, without a stack trace. Not thread-safe.
 */
abstract class DbaCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Spec
    CommandSpec spec;

    /** What the command does, for its failure line: "Cannot {verb}: ...". */
    abstract String verb();

    /** Does the work with the migration login's connection; the exit code. */
    abstract int run(AnalyticsDb db, PrintWriter out);

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            int exitCode = database.asMigrationLogin(verb(), db -> run(db, out));
            out.flush();
            return exitCode;
        } catch (AnalyticsDbException e) {
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("Cannot " + verb() + ": " + oneLine(e.getMessage()));
            err.flush();
            return 1;
        }
    }

    /** The database as messages name it: URL (password masked) and login. */
    String where() {
        return database.maskedUrl() + " as " + database.migrationUser();
    }

    /** Messages of the database and of Flyway may span lines; the failure is one. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    static String orNone(String version) {
        return version == null ? "none" : version;
    }

    /**
     * Leaves the DBA commands only the database options they use (URL and migration login):
     * {@link DatabaseOptions} also has the serving pool's, which would only confuse their help.
     */
    static final class MigrationLoginOnly extends DatabaseOptionsOnly {
        MigrationLoginOnly() {
            super(List.of("--db-url", "--migration-user", "--migration-password"));
        }
    }

    /** Removes the options of the {@code database} mixin that a command does not use. */
    abstract static class DatabaseOptionsOnly implements IModelTransformer {
        private final List<String> used;

        DatabaseOptionsOnly(List<String> used) {
            this.used = used;
        }

        @Override
        public CommandSpec transform(CommandSpec command) {
            List<OptionSpec> unused = command.mixins().get("database").options().stream()
                    .filter(option -> !used.contains(option.longestName())).toList();
            unused.forEach(command::remove);
            return command;
        }
    }
}
