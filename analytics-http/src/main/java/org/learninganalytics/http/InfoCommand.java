package org.learninganalytics.http;

import java.io.PrintWriter;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.MigrationInfo;
import org.learninganalytics.db.SchemaStatus;

import picocli.CommandLine.Command;

/** {@code info}: the applied and pending migrations, the current version and how many are pending. Reads only. */
@Command(name = "info", mixinStandardHelpOptions = true, modelTransformer = DbaCommand.MigrationLoginOnly.class,
        description = {"List the applied and pending migrations, the current schema version and how many migrations are pending.",
                "Reads only. Exit 0; 1, with the reason in one line, when the history cannot be read."})
final class InfoCommand extends DbaCommand {

    @Override
    String verb() {
        return "read the migration history";
    }

    @Override
    int run(AnalyticsDb db, PrintWriter out) {
        MigrationInfo info = db.migrationInfo();
        SchemaStatus status = info.status();
        out.println("Migrations of " + where() + ", schema " + AnalyticsDb.SCHEMA + ":");
        MigrationTable.print(out, info.migrations(), false);
        out.println();
        out.println("Current version: " + orNone(status.currentVersion()) + " (this jar's latest: " + orNone(status.expectedVersion()) + ")");
        out.println("Pending: " + status.pendingMigrations() + (status.isCurrent() ? "" : " (run migrate to apply them)"));
        return 0;
    }
}
