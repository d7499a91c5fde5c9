package org.learninganalytics.db.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.learninganalytics.db.Migration;
import org.learninganalytics.db.MigrationRun;
import org.learninganalytics.db.MigrationValidation;
import org.learninganalytics.db.MigrationValidation.Kind;
import org.learninganalytics.db.MigrationValidation.Problem;

/** Flyway's info, migrate and validate results as the library's records, so no Flyway type reaches the API. Not API. */
public final class MigrationReports {

    private MigrationReports() {
    }

    /** Every migration Flyway knows of, in its order. */
    public static List<Migration> migrations(MigrationInfoService info) {
        return Arrays.stream(info.all()).map(MigrationReports::migration).toList();
    }

    /** The highest installed rank in the history, or -1 when it has no row (or does not exist). */
    public static int lastInstalledRank(MigrationInfoService info) {
        return Arrays.stream(info.applied()).map(MigrationInfo::getInstalledRank).filter(Objects::nonNull)
                .mapToInt(Integer::intValue).max().orElse(-1);
    }

    /** What a migrate did: the rows it added to the history after {@code lastRankBefore}, without Flyway's own. */
    public static MigrationRun run(MigrationInfoService before, int lastRankBefore, MigrationInfoService after) {
        List<Migration> applied = Arrays.stream(after.applied())
                .filter(migration -> migration.getInstalledRank() != null && migration.getInstalledRank() > lastRankBefore)
                .filter(migration -> !migration.getType().isSynthetic())
                .map(MigrationReports::migration).toList();
        return new MigrationRun(version(before.current()), version(after.current()), applied);
    }

    static Migration migration(MigrationInfo migration) {
        Instant installedOn = migration.getInstalledOn() == null ? null : migration.getInstalledOn().toInstant();
        Duration executionTime = migration.getInstalledOn() == null || migration.getExecutionTime() == null ? null
                : Duration.ofMillis(migration.getExecutionTime());
        return new Migration(migration.getVersion() == null ? null : migration.getVersion().getVersion(), migration.getDescription(),
                type(migration), migration.getScript(), installedOn, executionTime, state(migration.getState()));
    }

    private static Migration.Type type(MigrationInfo migration) {
        if (migration.getType().isBaseline()) return Migration.Type.BASELINE;
        if (migration.getType().isSynthetic()) return Migration.Type.SCHEMA;
        return migration.isVersioned() ? Migration.Type.VERSIONED : Migration.Type.REPEATABLE;
    }

    private static Migration.State state(MigrationState state) {
        return switch (state) {
            case PENDING, ABOVE_TARGET, UNDONE, AVAILABLE -> Migration.State.PENDING;
            case SUCCESS, BASELINE -> Migration.State.APPLIED;
            case OUT_OF_ORDER -> Migration.State.OUT_OF_ORDER;
            case OUTDATED -> Migration.State.OUTDATED;
            case SUPERSEDED -> Migration.State.SUPERSEDED;
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> Migration.State.FAILED;
            case MISSING_SUCCESS -> Migration.State.MISSING;
            case FUTURE_SUCCESS -> Migration.State.FUTURE;
            case IGNORED -> Migration.State.IGNORED;
            case BELOW_BASELINE, BASELINE_IGNORED -> Migration.State.BELOW_BASELINE;
            case DELETED -> Migration.State.DELETED;
        };
    }

    private static String version(MigrationInfo migration) {
        return migration == null || migration.getVersion() == null ? null : migration.getVersion().getVersion();
    }

    /**
     * Flyway's validation as problems that each name their migration in one line; {@code info}
     * supplies the applied and the jar's checksums and descriptions that Flyway's messages spread over lines.
     */
    public static MigrationValidation validation(ValidateResult result, MigrationInfoService info) {
        List<Problem> problems = new ArrayList<>();
        List<ValidateOutput> invalid = result.invalidMigrations == null ? List.of() : result.invalidMigrations;
        for (ValidateOutput output : invalid) {
            problems.add(problem(output, info));
        }
        if (problems.isEmpty() && !result.validationSuccessful) {
            String message = result.errorDetails != null ? result.errorDetails.errorMessage : result.getAllErrorMessages();
            problems.add(new Problem(null, null, null, Kind.OTHER, oneLine(message)));
        }
        return new MigrationValidation(problems);
    }

    private static Problem problem(ValidateOutput output, MigrationInfoService info) {
        String version = blankToNull(output.version);
        String description = blankToNull(output.description);
        ErrorCode code = output.errorDetails == null ? null : output.errorDetails.errorCode;
        Optional<MigrationInfo> match = find(info, version, description);
        String script = match.map(MigrationInfo::getScript).orElse(fileName(output.filepath));
        String name = (version != null ? version + " " : "") + (description != null ? "'" + description + "'" : "")
                + (script != null ? " (" + script + ")" : "");
        Kind kind = kind(code);
        String what = switch (kind) {
            case CHECKSUM_MISMATCH -> match.map(m -> "checksum differs: applied " + m.getAppliedChecksum() + ", this jar "
                    + m.getResolvedChecksum() + " (the file was changed after it was applied)").orElse(null);
            case DESCRIPTION_MISMATCH -> match.map(m -> "description differs: applied '" + m.getAppliedDescription()
                    + "', this jar '" + m.getResolvedDescription() + "'").orElse(null);
            case TYPE_MISMATCH -> match.map(m -> "type differs: applied " + m.getAppliedType().name() + ", this jar "
                    + m.getResolvedType().name()).orElse(null);
            case UNKNOWN_TO_THIS_JAR -> "applied, but this jar does not have it";
            case NOT_APPLIED -> "in this jar but never applied, and lower than the current version";
            case FAILED -> "its application failed; the schema may be half-migrated";
            case OTHER -> null;
        };
        if (what == null) what = oneLine(output.errorDetails == null ? "invalid" : output.errorDetails.errorMessage);
        return new Problem(version, description, script, kind, "migration " + name.strip() + ": " + what);
    }

    private static Kind kind(ErrorCode code) {
        if (!(code instanceof CoreErrorCode core)) return Kind.OTHER;
        return switch (core) {
            case CHECKSUM_MISMATCH -> Kind.CHECKSUM_MISMATCH;
            case DESCRIPTION_MISMATCH -> Kind.DESCRIPTION_MISMATCH;
            case TYPE_MISMATCH -> Kind.TYPE_MISMATCH;
            case APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED, APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED -> Kind.UNKNOWN_TO_THIS_JAR;
            case RESOLVED_REPEATABLE_MIGRATION_NOT_APPLIED, RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED -> Kind.NOT_APPLIED;
            case FAILED_BASELINE_MIGRATION, FAILED_REPEATABLE_MIGRATION, FAILED_VERSIONED_MIGRATION -> Kind.FAILED;
            default -> Kind.OTHER;
        };
    }

    /** The applied migration a validation output speaks of: by version, else (repeatable) by description. */
    private static Optional<MigrationInfo> find(MigrationInfoService info, String version, String description) {
        return Arrays.stream(info.all())
                .filter(migration -> migration.getInstalledRank() != null)
                .filter(migration -> version != null
                        ? migration.getVersion() != null && migration.getVersion().getVersion().equals(version)
                        : migration.getVersion() == null && Objects.equals(migration.getDescription(), description))
                .reduce((first, later) -> later); // the latest application of a repeatable one
    }

    private static String fileName(String path) {
        if (path == null || path.isBlank()) return null;
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** {@code text} on one line: Flyway's messages span several. */
    public static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*(->\\s*)?", "; ").replaceAll("\\s{2,}", " ");
    }
}
