package org.learninganalytics.http;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.learninganalytics.db.Migration;

/** Migrations as a plain-text table with aligned columns, for the DBA commands. */
final class MigrationTable {

    private static final DateTimeFormatter INSTALLED_ON = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private MigrationTable() {
    }

    /** Version, description, type, installed on (UTC), state; with the execution time when {@code withTime}. */
    static void print(PrintWriter out, List<Migration> migrations, boolean withTime) {
        List<String[]> rows = new ArrayList<>();
        rows.add(withTime ? new String[] {"Version", "Description", "Type", "Installed on (UTC)", "State", "Time"}
                : new String[] {"Version", "Description", "Type", "Installed on (UTC)", "State"});
        for (Migration migration : migrations) {
            String[] row = {
                    migration.version() == null ? "" : migration.version(),
                    migration.description() == null ? "" : migration.description(),
                    label(migration.type()),
                    migration.installedOn() == null ? "" : INSTALLED_ON.format(migration.installedOn()),
                    label(migration.state()),
                    milliseconds(migration.executionTime())};
            rows.add(withTime ? row : java.util.Arrays.copyOf(row, 5));
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) widths[column] = Math.max(widths[column], row[column].length());
        }
        print(out, rows.get(0), widths);
        String[] rule = new String[widths.length];
        for (int column = 0; column < widths.length; column++) rule[column] = "-".repeat(widths[column]);
        print(out, rule, widths);
        for (String[] row : rows.subList(1, rows.size())) print(out, row, widths);
    }

    private static void print(PrintWriter out, String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < row.length; column++) {
            if (column > 0) line.append("  ");
            line.append(row[column]).append(" ".repeat(widths[column] - row[column].length()));
        }
        out.println(line.toString().stripTrailing());
    }

    /** {@code OUT_OF_ORDER} as "Out of order". */
    static String label(Enum<?> value) {
        String words = value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String milliseconds(Duration time) {
        return time == null ? "" : time.toMillis() + " ms";
    }
}
