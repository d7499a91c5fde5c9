package org.learninganalytics.http;

import java.io.PrintWriter;
import java.util.List;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.Migration;
import org.learninganalytics.db.MigrationInfo;
import org.learninganalytics.db.MigrationValidation;

import picocli.CommandLine.Command;

/** {@code validate}: whether the applied migrations are this jar's. Reads only. */
@Command(name = "validate", mixinStandardHelpOptions = true, modelTransformer = DbaCommand.MigrationLoginOnly.class,
        description = {"Check that the applied migrations match this jar's: checksums, descriptions, types; none unknown to this jar,"
                + " none failed, none skipped. Pending migrations are not problems (migrate applies them).",
                "Reads only. Exit 0 when valid; 1 with the problems listed, or the reason in one line when the history cannot be read."})
final class ValidateCommand extends DbaCommand {

    @Override
    String verb() {
        return "validate the migrations";
    }

    @Override
    int run(AnalyticsDb db, PrintWriter out) {
        MigrationValidation validation = db.validateMigrations();
        MigrationInfo info = db.migrationInfo();
        long applied = info.migrations().stream().filter(m -> m.state().isApplied() && m.type() != Migration.Type.SCHEMA).count();
        String summary = where() + ": schema version " + orNone(info.status().currentVersion()) + ", " + applied + " applied, "
                + info.status().pendingMigrations() + " pending.";
        List<Migration> future = info.inState(Migration.State.FUTURE);
        if (validation.isValid()) {
            out.println("Valid: " + summary);
        } else {
            out.println("Invalid: " + validation.problems().size() + (validation.problems().size() == 1 ? " problem" : " problems")
                    + " in " + summary);
            for (MigrationValidation.Problem problem : validation.problems()) out.println("  " + oneLine(problem.message()));
        }
        if (!future.isEmpty()) {
            out.println("Applied by a newer release, not in this jar (allowed, as at start-up): "
                    + String.join(", ", future.stream().map(Migration::version).toList()));
        }
        return validation.isValid() ? 0 : 1;
    }
}
