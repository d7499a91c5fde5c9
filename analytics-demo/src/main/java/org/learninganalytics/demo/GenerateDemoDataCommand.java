package org.learninganalytics.demo;

import java.util.concurrent.Callable;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.http.DatabaseOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate-demo-data}: migrates the database and fills it (it must be empty) with demo or benchmark data. */
@Command(name = "generate-demo-data", mixinStandardHelpOptions = true,
        description = "Migrate the database and fill it (it must be empty) with reproducible demo data.")
final class GenerateDemoDataCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--organizations", defaultValue = "3") int organizations;
    @Option(names = "--users", defaultValue = "600") int users;
    @Option(names = "--transactions", defaultValue = "60000", description = "point transactions") long transactions;
    @Option(names = "--events", defaultValue = "40000", description = "learning events") long events;
    @Option(names = "--days", defaultValue = "90") int days;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--benchmark-scale", description = "50 organizations, 200,000 users, 5,000,000 transactions, 10,000,000 learning events")
    boolean benchmarkScale;

    @Override
    public Integer call() {
        DemoScale scale = benchmarkScale ? DemoScale.benchmark() : new DemoScale(organizations, users, transactions, days, seed, events);
        try {
            database.migrate();
            try (AnalyticsDb ignored = database.openServing()) { // fails fast, naming the login, when it cannot connect
                DemoDataReport report = new DemoDataGenerator(DemoMode.servingDataSource(database)).generate(scale);
                System.out.printf("Generated %d organizations, %d users, %d courses, %d enrollments, %d user skills,"
                                + " %d point transactions, %d daily activity rows, %d course skills, %d learning events"
                                + " (loaded in %.1f s; %d learners drop off) in %.1f s%n",
                        report.organizations(), report.users(), report.courses(), report.enrollments(), report.userSkills(),
                        report.pointTransactions(), report.dailyActivity(), report.courseSkills(), report.learningEvents(),
                        report.eventsLoad().toMillis() / 1000.0, report.dropOuts(), report.elapsed().toMillis() / 1000.0);
                return 0;
            }
        } catch (AnalyticsDbException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
