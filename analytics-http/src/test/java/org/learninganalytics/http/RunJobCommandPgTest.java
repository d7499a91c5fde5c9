package org.learninganalytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.internal.JobLocks;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

import picocli.CommandLine;

/** {@code run-job <name>} of the server jar, run in-process as an operator would: its output and exit code, and the recorded run. */
@FreshDatabase
class RunJobCommandPgTest {

    private TestDatabase database;

    @BeforeEach
    void keep(TestDatabase database) {
        this.database = database;
    }

    @Test
    void run_job_runs_the_job_records_it_and_exits_0() throws SQLException {
        Run run = run("run-job", "refresh-leaderboards");

        assertThat(run.exitCode).isZero();
        assertThat(run.out).startsWith("Job refresh-leaderboards succeeded in ").contains(" ms on ");
        assertThat(run.err).isEmpty();
        try (Connection admin = database.connect(); Statement sql = admin.createStatement();
             ResultSet rows = sql.executeQuery("SELECT trigger, outcome FROM analytics.job_runs WHERE job_name = 'refresh-leaderboards'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("manual");
            assertThat(rows.getString(2)).isEqualTo("succeeded");
        }
    }

    @Test
    void an_unknown_job_exits_1_and_names_the_jobs() {
        Run run = run("run-job", "no-such-job");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).startsWith("Cannot run-job: no job is named 'no-such-job'; the jobs are refresh-leaderboards, ");
    }

    @Test
    void a_job_running_elsewhere_exits_1() throws SQLException {
        try (Connection otherInstance = database.connect()) {
            otherInstance.setAutoCommit(false);
            try (PreparedStatement lock = otherInstance.prepareStatement(JobLocks.TRY_LOCK)) {
                lock.setInt(1, JobLocks.key("recompute-analytics"));
                lock.executeQuery().close();
            }
            Run run = run("run-job", "recompute-analytics");

            assertThat(run.exitCode).isEqualTo(1);
            assertThat(run.err).isEqualTo("Cannot run-job: the job 'recompute-analytics' is running already\n");
            otherInstance.rollback();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** The command line of the server jar as the serving login analytics_app against the test database. */
    private Run run(String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine main = new CommandLine(new Main());
        main.setOut(new PrintWriter(out, true));
        main.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--db-url", database.jdbcUrl(), "--db-user", TestDatabase.APP_USER));
        String password = System.getenv(TestDatabase.APP_PASSWORD_VARIABLE);
        if (password != null) args.addAll(List.of("--db-password", password));
        int exitCode = main.execute(args.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }
}
