package org.learninganalytics.db.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.preferences.PreferenceChanges;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * Predictions from learning events inserted as SQL: the drop-off risk and forecast of a
 * hand-made learner (every input worked out below), who may read them, switching them off,
 * and the risk model's ranking of a synthetic cohort (40 learners, 6 drop-outs) by ROC AUC.
 */
@FreshDatabase
class PredictionsPgTest {

    private static AnalyticsDb db;
    private static Connection admin;

    private static final UUID ORG = UUID.randomUUID();
    private static final UUID OTHER_ORG = UUID.randomUUID();
    private static final UUID LEARNER = UUID.randomUUID();
    private static final UUID SWITCHER = UUID.randomUUID();
    private static final UUID CLASSMATE = UUID.randomUUID();
    private static final UUID TRAINER = UUID.randomUUID();
    private static final UUID ORG_ADMIN = UUID.randomUUID();
    private static final UUID OTHER_ADMIN = UUID.randomUUID();
    private static final UUID PLATFORM_ADMIN = UUID.randomUUID();
    private static final UUID COURSE = UUID.randomUUID();

    @BeforeAll
    static void arrange(TestDatabase database) throws SQLException {
        db = database.analyticsDb();
        admin = database.connect();
        sql("SET search_path = analytics");
        sql("INSERT INTO organizations (id, name) VALUES ('" + ORG + "', 'Org'), ('" + OTHER_ORG + "', 'Other')");
        user(LEARNER, ORG, "learner");
        user(SWITCHER, ORG, "learner");
        user(CLASSMATE, ORG, "learner");
        user(TRAINER, ORG, "trainer");
        user(ORG_ADMIN, ORG, "org_admin");
        user(OTHER_ADMIN, OTHER_ORG, "org_admin");
        user(PLATFORM_ADMIN, null, "platform_admin");
        sql("INSERT INTO courses (id, name, organization_id, trainer_id, expected_weeks) VALUES ('" + COURSE + "', 'C', '" + ORG + "', '"
                + TRAINER + "', 10)");
        for (UUID learner : List.of(LEARNER, SWITCHER)) {
            sql("INSERT INTO enrollments (user_id, course_id, enrolled_at, progress_percent) VALUES ('" + learner + "', '" + COURSE
                    + "', now() - interval '40 days', 30)");
            // Progress 10 (day -30), 14 (day -17), 18 (day -10), 30 now (the enrollment).
            progressed(learner, 30, 10);
            progressed(learner, 17, 14);
            progressed(learner, 10, 18);
            // Sessions of one event each: days -20, -18 (failed 0.3), -16 (passed 0.8), -15 and -17 (above): 5 in [T-28, T-14);
            // days -10 (above) and -5: 2 in [T-14, T).
            event(learner, 20, "experienced", "video", null);
            event(learner, 18, "failed", "quiz", "0.3");
            event(learner, 16, "passed", "quiz", "0.8");
            event(learner, 15, "experienced", "video", null);
            event(learner, 5, "experienced", "video", null);
        }
    }

    @AfterAll
    static void close() throws SQLException {
        admin.close();
    }

    @Test
    void drop_off_risk_of_a_hand_made_learner() {
        // recency: 5 days -> 5 / 14, x 0.35 = 0.125; trend: (5 - 2) / 5 = 0.6 -> 0.15;
        // pace: (30 - 10) / 4 = 5 % a week against 100 / 10 = 10 -> 0.5 -> 0.125; failures 1 of 2 -> 0.5 -> 0.075.
        // Risk 0.475 -> 0.48, medium. Contributions floored 0.12 + 0.15 + 0.12 + 0.07 = 0.46; two cents to the largest
        // remainders (0.005 each for recency, pace, failures: the first two in factor order): 0.13, 0.15, 0.13, 0.07.
        // Enrolled 40 days, all four factors with data: confidence 1.
        Prediction prediction = db.as(db.principal(LEARNER).orElseThrow()).predictions().get(LEARNER, PredictionType.DROP_OFF_RISK);

        assertThat(prediction.status()).isEqualTo(PredictionStatus.OK);
        assertThat(prediction.confidence()).isEqualByComparingTo("1.00");
        assertThat(prediction.data()).contains("\"riskScore\": 0.48", "\"level\": \"medium\"", "\"topFactors\": [\"trend\", \"recency\"]");
        assertThat(prediction.data().replaceAll(".*?\"contribution\": ([0-9.]+).*?(?=\"contribution\"|$)", "$1 ").trim())
                .isEqualTo("0.13 0.15 0.13 0.07");
        assertThat(Duration.between(prediction.calculatedAt(), prediction.expiresAt())).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void forecast_of_a_hand_made_learner() {
        // Paces: 14 days (30 - 14) / 2 = 8; 28 days 5; 56 days (30 - 0) / 8 = 3.75. Weeks with progress among the last 4:
        // [T-7, T) 18 -> 30, [T-14, T-7) 14 -> 18, [T-21, T-14) 10 -> 14, [T-28, T-21) 10 -> 10: 3 -> confidence 0.75.
        // Projected: T + 70 / 5 = 14 weeks; pessimistic at the slower 3.75: T + 18 2/3 weeks = 11,289,600 s.
        Prediction forecast = db.system().predictions().refresh(LEARNER, PredictionType.FORECAST);

        assertThat(forecast.status()).isEqualTo(PredictionStatus.OK);
        assertThat(forecast.confidence()).isEqualByComparingTo("0.75");
        String t = forecast.calculatedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        assertThat(forecast.data()).contains("\"pace28\": 5.00", "\"progress\": 30.00", "\"weeksWithProgress\": 3",
                "\"projectedCompletion\": \"" + forecast.calculatedAt().plus(Duration.ofDays(98)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"",
                "\"pessimisticCompletion\": \"" + forecast.calculatedAt().plusSeconds(11_289_600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"");
        assertThat(t).isNotBlank();
    }

    @Test
    void recommendations_without_content_events_are_insufficient_data() {
        Prediction recommendations = db.system().predictions().refresh(LEARNER, PredictionType.RECOMMENDATIONS);
        assertThat(recommendations.status()).isEqualTo(PredictionStatus.INSUFFICIENT_DATA);
        assertThat(recommendations.data()).contains("content_events");
    }

    @Test
    void the_learner_their_trainer_and_their_org_admin_read_it_others_do_not() {
        Prediction own = db.as(db.principal(LEARNER).orElseThrow()).predictions().get(LEARNER, PredictionType.DROP_OFF_RISK);
        Prediction trainers = db.as(db.principal(TRAINER).orElseThrow()).predictions().get(LEARNER, PredictionType.DROP_OFF_RISK);
        Prediction admins = db.as(db.principal(ORG_ADMIN).orElseThrow()).predictions().get(LEARNER, PredictionType.DROP_OFF_RISK);

        assertThat(trainers).as("the cached row, not a new one").isEqualTo(own);
        assertThat(admins).isEqualTo(own);
        for (UUID outsider : List.of(CLASSMATE, OTHER_ADMIN)) {
            assertThatThrownBy(() -> db.as(db.principal(outsider).orElseThrow()).predictions().get(LEARNER, PredictionType.DROP_OFF_RISK))
                    .isInstanceOfSatisfying(AnalyticsDbException.class, e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.NOT_VISIBLE));
        }
    }

    @Test
    void switching_a_prediction_off_deletes_it_at_once_and_nobody_can_read_or_compute_it() throws SQLException {
        var switcher = db.as(db.principal(SWITCHER).orElseThrow());
        switcher.predictions().get(SWITCHER, PredictionType.DROP_OFF_RISK);
        switcher.predictions().get(SWITCHER, PredictionType.FORECAST);
        assertThat(cached(SWITCHER)).isEqualTo("drop_off_risk,forecast");

        switcher.preferences().update(PreferenceChanges.none()
                .withPredictiveAnalyticsEnabled("{\"dropOffRisk\": false, \"forecasting\": true, \"recommendations\": true}"));
        assertThat(cached(SWITCHER)).as("deleted in the preference's own transaction").isEqualTo("forecast");

        for (UUID reader : List.of(SWITCHER, TRAINER, ORG_ADMIN, PLATFORM_ADMIN)) {
            assertThatThrownBy(() -> db.as(db.principal(reader).orElseThrow()).predictions().get(SWITCHER, PredictionType.DROP_OFF_RISK))
                    .as("read by %s", reader).isInstanceOf(PredictionDisabledException.class);
        }
        assertThatThrownBy(() -> db.system().predictions().refresh(SWITCHER, PredictionType.DROP_OFF_RISK))
                .isInstanceOf(PredictionDisabledException.class);
        assertThat(cached(SWITCHER)).as("nothing was computed").isEqualTo("forecast");

        // A DBA's direct update goes through the same trigger.
        sql("UPDATE user_preferences SET predictive_analytics_enabled = '{\"forecasting\": false}' WHERE user_id = '" + SWITCHER + "'");
        assertThat(cached(SWITCHER)).isNull();
        assertThat(switcher.predictions().get(SWITCHER, PredictionType.DROP_OFF_RISK).status()).as("a missing switch is on")
                .isEqualTo(PredictionStatus.OK);
    }

    /**
     * ANALYTICS.md's validation on a synthetic cohort: 40 learners enrolled 60 days ago, of whom 6
     * stop all activity 10 to 30 days before T; the others keep going every 1 to 3 days. The
     * risk must rank the drop-outs above the rest (AUC >= 0.85). The demo generator's cohort is
     * for the integration test.
     */
    @Test
    void drop_off_risk_ranks_a_synthetic_cohort_s_drop_outs_first() throws SQLException {
        UUID org = UUID.randomUUID();
        UUID course = UUID.randomUUID();
        sql("INSERT INTO organizations (id, name) VALUES ('" + org + "', 'Cohort')");
        sql("INSERT INTO courses (id, name, organization_id, expected_weeks) VALUES ('" + course + "', 'Cohort course', '" + org + "', 12)");
        Random random = new Random(40);
        List<UUID> learners = new ArrayList<>();
        List<Boolean> droppedOff = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UUID learner = UUID.randomUUID();
            user(learner, org, "learner");
            boolean drop = i < 6;
            int stopDaysBeforeT = drop ? 10 + random.nextInt(21) : 0;
            int every = 1 + random.nextInt(3);
            double perDay = 1.0 + random.nextDouble() * 0.6;
            int lastDay = 60 - stopDaysBeforeT; // days since enrollment with activity: every-th day up to lastDay
            double progress = Math.min(100, Math.floor((lastDay - (lastDay - 1) % every) * perDay));
            sql("INSERT INTO enrollments (user_id, course_id, enrolled_at, progress_percent) VALUES ('" + learner + "', '" + course
                    + "', now() - interval '60 days', " + progress + ")");
            sql("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, course_id, progress_percent, occurred_at)"
                    + " SELECT gen_random_uuid(), '" + learner + "', 'progressed', 'lesson-' || d, 'lesson', '" + course + "',"
                    + " least(100, floor(d * " + perDay + ")), now() - make_interval(days => 60 - d) + interval '1 minute'"
                    + " FROM generate_series(1, " + lastDay + ", " + every + ") d");
            learners.add(learner);
            droppedOff.add(drop);
        }
        List<Double> scores = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < learners.size(); i++) {
            Prediction risk = db.system().predictions().refresh(learners.get(i), PredictionType.DROP_OFF_RISK);
            if (risk.status() == PredictionStatus.INSUFFICIENT_DATA) continue;
            scores.add(Double.parseDouble(risk.data().replaceAll(".*\"riskScore\": ([0-9.]+).*", "$1")));
            outcomes.add(droppedOff.get(i));
        }
        double auc = RocAuc.of(scores.stream().mapToDouble(Double::doubleValue).toArray(), toArray(outcomes));

        assertThat(outcomes).as("every learner has enough data").hasSize(40);
        assertThat(auc).isGreaterThanOrEqualTo(0.85);
    }

    private static boolean[] toArray(List<Boolean> values) {
        boolean[] array = new boolean[values.size()];
        for (int i = 0; i < array.length; i++) array[i] = values.get(i);
        return array;
    }

    private static String cached(UUID user) throws SQLException {
        try (Statement statement = admin.createStatement(); var rows = statement.executeQuery(
                "SELECT string_agg(analytics_type, ',' ORDER BY analytics_type) FROM predictive_analytics_cache WHERE user_id = '" + user + "'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void user(UUID id, UUID org, String role) throws SQLException {
        sql("INSERT INTO users (id, email, organization_id) VALUES ('" + id + "', '" + id + "@predictions.test', "
                + (org == null ? "NULL" : "'" + org + "'") + ")");
        sql("INSERT INTO user_roles (user_id, role) VALUES ('" + id + "', '" + role + "')");
    }

    private static void progressed(UUID learner, int daysAgo, int progress) throws SQLException {
        sql("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, course_id, progress_percent, occurred_at)"
                + " VALUES (gen_random_uuid(), '" + learner + "', 'progressed', 'course', 'course', '" + COURSE + "', " + progress
                + ", now() - interval '" + daysAgo + " days')");
    }

    private static void event(UUID learner, int daysAgo, String verb, String type, String score) throws SQLException {
        sql("INSERT INTO learning_events (event_id, user_id, verb, object_id, object_type, score_scaled, occurred_at)"
                + " VALUES (gen_random_uuid(), '" + learner + "', '" + verb + "', '" + type + "-" + daysAgo + "', '" + type + "', " + score
                + ", now() - interval '" + daysAgo + " days')");
    }

    private static synchronized void sql(String statement) throws SQLException {
        try (Statement sql = admin.createStatement()) {
            sql.execute(statement);
        }
    }
}
