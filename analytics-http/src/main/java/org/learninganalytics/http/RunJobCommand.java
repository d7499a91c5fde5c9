package org.learninganalytics.http;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.jobs.JobRun;
import org.learninganalytics.db.jobs.UnknownJobException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code run-job <name>}: runs one job now, as the server's logins (the service path), on this
 * process's thread, and records the run like any other (trigger manual). It does not migrate
 * and starts no scheduler. Not thread-safe.
 */
@Command(name = "run-job", mixinStandardHelpOptions = true, modelTransformer = RunJobCommand.ServingLoginsOnly.class,
        description = {"Run one job now with the server's logins, and print its outcome.",
                "Exit 0 when it succeeded; 1 when it failed, is running already on some instance, does not exist, or the database"
                        + " cannot be reached (the reason in one line)."})
final class RunJobCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "<name>", description = "the job, e.g. refresh-leaderboards")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AnalyticsDb db = database.openServing()) {
            JobRun run;
            try {
                run = db.system().jobs().run(name);
            } catch (UnknownJobException e) {
                err.println("Cannot run-job: " + e.getMessage() + "; the jobs are " + String.join(", ", db.system().jobs().names()));
                return 1;
            }
            String line = "Job " + run.job() + " " + run.outcome().sqlName() + " in " + run.duration().toMillis() + " ms on " + run.instance()
                    + (run.error() == null ? "" : ": " + run.error());
            (run.succeeded() ? out : err).println(line);
            return run.succeeded() ? 0 : 1;
        } catch (AnalyticsDbException e) {
            err.println("Cannot run-job: " + DbaCommand.oneLine(e.getMessage()));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The serving and service logins and the pool's bounds; not the migration login's options. */
    static final class ServingLoginsOnly extends DbaCommand.DatabaseOptionsOnly {
        ServingLoginsOnly() {
            super(List.of("--db-url", "--db-user", "--db-password", "--db-service-user", "--db-service-password",
                    "--user-statement-timeout-ms", "--user-lock-timeout-ms"));
        }
    }
}
