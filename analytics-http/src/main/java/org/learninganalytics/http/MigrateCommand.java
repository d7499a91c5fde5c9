package org.learninganalytics.http;

import java.io.PrintWriter;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.MigrationRun;

import picocli.CommandLine.Command;

/** {@code migrate}: applies the pending migrations as the migration login, as {@code serve} does at start-up, and says what it applied. */
@Command(name = "migrate", mixinStandardHelpOptions = true, modelTransformer = DbaCommand.MigrationLoginOnly.class,
        description = {"Apply the pending migrations as the migration login, as serve does at start-up, and print what was applied.",
                "Exit 0 when the schema is migrated; 1, with the reason in one line, when the login cannot connect or a migration fails."})
final class MigrateCommand extends DbaCommand {

    @Override
    String verb() {
        return "migrate";
    }

    @Override
    int run(AnalyticsDb db, PrintWriter out) {
        MigrationRun run = db.migrateAndReport();
        if (run.applied().isEmpty()) {
            out.println("Nothing to migrate: " + where() + ", schema version " + orNone(run.currentVersion()) + ".");
            return 0;
        }
        out.println("Applied " + run.applied().size() + (run.applied().size() == 1 ? " migration" : " migrations") + " to " + where() + ":");
        MigrationTable.print(out, run.applied(), true);
        out.println();
        out.println("Schema version: " + orNone(run.previousVersion()) + " -> " + orNone(run.currentVersion()));
        return 0;
    }
}
