package org.learninganalytics.db.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.learninganalytics.db.analytics.AnalyticsFixture.daysBefore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/**
 * The six analytics of ANALYTICS.md on hand-made fixtures, at a fixed calculation time T
 * (Wednesday 2026-03-18 12:00 UTC). Every expected value is worked out by hand in a comment
 * next to it: each factor, each threshold on both sides of its edge, and each
 * insufficient_data case. The SQL functions are called directly (as the admin user), the
 * same functions the cache and the bulk recompute call.
 */
@FreshDatabase
class AnalyticsDefinitionsPgTest {

    static final Instant T = Instant.parse("2026-03-18T12:00:00Z");
    static final UUID ORG = UUID.randomUUID();
    /** Expected 10 weeks: target pace 10 %/week. */
    static final UUID C1 = UUID.randomUUID();
    /** Expected 20 weeks: target pace 5 %/week. */
    static final UUID C2 = UUID.randomUUID();
    /** Completed by everyone enrolled in it. */
    static final UUID C3 = UUID.randomUUID();
    /** No skills mapped. */
    static final UUID C4 = UUID.randomUUID();

    static AnalyticsFixture fx;

    @BeforeAll
    static void arrange(TestDatabase database) {
        fx = new AnalyticsFixture(database);
        fx.organization(ORG);
        fx.course(C1, ORG, null, 10);
        fx.course(C2, ORG, null, 20);
        fx.course(C3, ORG, null, 12);
        fx.course(C4, ORG, null, 12);
        for (String skill : new String[] {"sql", "java", "python", "rust", "go", "m-a", "m-b", "m-c", "m-d", "m-e", "m-f"}) fx.skill(skill);
        fx.courseSkill(C1, "sql", 80);
        fx.courseSkill(C1, "java", 60);
        fx.courseSkill(C1, "rust", 80);
        fx.courseSkill(C2, "sql", 90);
        fx.courseSkill(C2, "python", 50);
        fx.courseSkill(C3, "go", 100);
    }

    static UUID learner() {
        UUID id = UUID.randomUUID();
        fx.user(id, ORG, "learner");
        return id;
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    @Nested
    class Velocity {

        @Test
        void paceTargetTrendStatusAndEstimatedCompletion() {
            UUID v = learner();
            // C1 (target 100/10 = 10): progress 20 at T-30d, 30 at T-20d, 40 at T-10d; 60 now (enrollments, the source of truth).
            fx.enrollment(v, C1, daysBefore(T, 60), null, 60);
            fx.progressed(v, C1, 20, daysBefore(T, 30));
            fx.progressed(v, C1, 30, daysBefore(T, 20));
            fx.progressed(v, C1, 40, daysBefore(T, 10));
            // C2 (target 5): 10 now, no events: 0 at every earlier time.
            fx.enrollment(v, C2, daysBefore(T, 60), null, 10);
            // C3 completed: not active, so not in any mean.
            fx.enrollment(v, C3, daysBefore(T, 60), daysBefore(T, 5), 100);

            Map<String, Object> row = fx.analytic("velocity", v, T);
            // pace C1 = (60 - progress(T-28d) = 20) / 4 = 10; C2 = (10 - 0) / 4 = 2.5; current = (10 + 2.5) / 2 = 6.25
            assertThat(row.get("current_pace")).isEqualTo(dec("6.25"));
            // target = (100/10 + 100/20) / 2 = 7.5
            assertThat(row.get("target_pace")).isEqualTo(dec("7.50"));
            // recent 14 d: C1 (60 - progress(T-14d) = 30) / 2 = 15, C2 (10 - 0) / 2 = 5 -> 10
            // previous 14 d: C1 (30 - 20) / 2 = 5, C2 0 -> 2.5; trend = (10 - 2.5) / 2.5 x 100 = 300 -> accelerating (>= 10)
            assertThat(row.get("trend_percentage")).isEqualTo(dec("300.00"));
            assertThat(row.get("trend_direction")).isEqualTo("accelerating");
            // 6.25 / 7.5 = 0.833: >= 0.5 and < 0.9 -> behind
            assertThat(row.get("status")).isEqualTo("behind");
            // mean progress of the active ones (60 + 10) / 2 = 35; (100 - 35) / 6.25 = 10.4 weeks = 6,289,920 s after T
            assertThat(row.get("estimated_completion")).isEqualTo(T.plusSeconds(6_289_920));
            assertThat(row.get("result_status")).isEqualTo("ok");
            assertThat(row.get("window_start")).isEqualTo(daysBefore(T, 28));
            assertThat(row.get("window_end")).isEqualTo(T);
        }

        @Test
        void statusEdgesOnTheRatioOfPaceToTarget() {
            // One active C1 enrollment each (target 10), no events: pace = progress now / 4.
            UUID exactlyOnTrack = learner(); // 36 / 4 = 9 -> 9 / 10 = 0.9 -> on_track
            fx.enrollment(exactlyOnTrack, C1, daysBefore(T, 40), null, 36);
            UUID exactlyBehind = learner(); // 20 / 4 = 5 -> 0.5 -> behind
            fx.enrollment(exactlyBehind, C1, daysBefore(T, 40), null, 20);
            UUID justAtRisk = learner(); // 19.96 / 4 = 4.99 -> 0.499 -> at_risk
            fx.enrollment(justAtRisk, C1, daysBefore(T, 40), null, 19.96);
            UUID justBelowOnTrack = learner(); // 35.96 / 4 = 8.99 -> 0.899 -> behind
            fx.enrollment(justBelowOnTrack, C1, daysBefore(T, 40), null, 35.96);

            assertThat(fx.analytic("velocity", exactlyOnTrack, T).get("status")).isEqualTo("on_track");
            assertThat(fx.analytic("velocity", exactlyBehind, T).get("status")).isEqualTo("behind");
            assertThat(fx.analytic("velocity", justAtRisk, T).get("status")).isEqualTo("at_risk");
            assertThat(fx.analytic("velocity", justBelowOnTrack, T).get("status")).isEqualTo("behind");
            // Only "previous" is 0: recent (36 - 0) / 2 = 18, previous 0 -> 100 -> accelerating
            assertThat(fx.analytic("velocity", exactlyOnTrack, T).get("trend_percentage")).isEqualTo(dec("100.00"));
        }

        @Test
        void decliningTrendReadsProgressAtOrBeforeEachTime() {
            UUID v = learner();
            fx.enrollment(v, C1, daysBefore(T, 60), null, 50);
            fx.progressed(v, C1, 10, daysBefore(T, 30));
            fx.progressed(v, C1, 40, daysBefore(T, 14)); // exactly at T-14d: progress(T-14d) = 40
            Map<String, Object> row = fx.analytic("velocity", v, T);
            // recent (50 - 40) / 2 = 5; previous (40 - 10) / 2 = 15; (5 - 15) / 15 x 100 = -66.67 -> declining (<= -10)
            assertThat(row.get("trend_percentage")).isEqualTo(dec("-66.67"));
            assertThat(row.get("trend_direction")).isEqualTo("declining");
            // pace (50 - 10) / 4 = 10 = target -> on_track
            assertThat(row.get("status")).isEqualTo("on_track");
        }

        @Test
        void notStartedCompletedAndInsufficientData() {
            UUID notStarted = learner(); // progress 0 everywhere: not_started, trend 0 stable, no estimate (pace 0)
            fx.enrollment(notStarted, C1, daysBefore(T, 3), null, 0);
            Map<String, Object> row = fx.analytic("velocity", notStarted, T);
            assertThat(row.get("status")).isEqualTo("not_started");
            assertThat(row.get("trend_direction")).isEqualTo("stable");
            assertThat(row.get("trend_percentage")).isEqualTo(dec("0.00"));
            assertThat(row.get("estimated_completion")).isNull();

            UUID completed = learner(); // no active, one completed
            fx.enrollment(completed, C3, daysBefore(T, 50), daysBefore(T, 1), 100);
            row = fx.analytic("velocity", completed, T);
            assertThat(row.get("status")).isEqualTo("completed");
            assertThat(row.get("current_pace")).isNull();
            assertThat(row.get("result_status")).isEqualTo("ok");

            UUID nothing = learner();
            row = fx.analytic("velocity", nothing, T);
            assertThat(row.get("result_status")).isEqualTo("insufficient_data");
            assertThat(row.get("data")).isEqualTo(fx.json("{\"missing\": [\"enrollments\"]}"));
            assertThat(row.get("current_pace")).isNull();
            assertThat(row.get("status")).isNull();
        }
    }

    @Nested
    class Engagement {

        @Test
        void scoreFactorsTrendByTypeAndWeeks() {
            UUID e = learner();
            Instant monday = Instant.parse("2026-03-16T10:00:00Z");
            // Session A: 10:00 video 10 min, 10:30 reading 5 min (exactly 30 min apart: same session) -> 10:35 - 10:00 = 35 min
            fx.event(e, "experienced", "video", "v1", null, null, null, 600, null, monday);
            fx.event(e, "experienced", "reading", "r1", null, null, null, 300, null, monday.plusSeconds(1_800));
            // Session B: 11:01, 31 min after the last event -> a new session, 0 min
            fx.event(e, "passed", "quiz", "q1", null, null, 0.9, null, null, monday.plusSeconds(3_660));
            // Session C: Sunday 2026-03-08 12:00, lesson 20 min
            fx.event(e, "experienced", "lesson", "l1", null, null, null, 1_200, null, daysBefore(T, 10));
            // Session D: Thursday 2026-02-26 12:00, video 15 min
            fx.event(e, "experienced", "video", "v2", null, null, null, 900, null, daysBefore(T, 20));
            // Outside W28 (T-40d): only in the weekly trend
            fx.event(e, "experienced", "video", "v3", null, null, null, 60, null, daysBefore(T, 40));

            Map<String, Object> row = fx.analytic("engagement", e, T);
            // recency: last active Monday 03-16, T is Wednesday 03-18: 2 days -> r = 2/14 = 0.142857, x 0.4 = 0.057143
            // sessions in W28: A, B, C, D = 4 -> 1 per week -> r = (2 - 1) / 2 = 0.5, x 0.3 = 0.15
            // sessions in the last 7 days: A, B = 2 -> r = 0
            // mean length (35 + 0 + 20 + 15) / 4 = 17.5 min -> r = 0
            // score = round(100 x (1 - 0.057143 - 0.15)) = round(79.29) = 79
            assertThat(row.get("overall_score")).isEqualTo(79);
            assertThat(row.get("sessions_per_week")).isEqualTo(dec("1.00"));
            assertThat(row.get("avg_session_duration")).isEqualTo(18); // 17.5 rounded half-up
            assertThat(row.get("last_active")).isEqualTo(monday.plusSeconds(3_660));
            // last 14 days: A, B, C = 3; previous 14: D = 1 -> +200 % -> rising
            assertThat(row.get("trend")).isEqualTo("rising");
            // W28 by object type: video v1 + v2 (600 + 900 s = 25 min), reading 5 min, quiz 0, lesson 20 min; v3 is outside
            assertThat(row.get("engagement_by_type")).isEqualTo(fx.json("""
                    {"video": {"events": 2, "minutes": 25.00}, "reading": {"events": 1, "minutes": 5.00},
                     "quiz": {"events": 1, "minutes": 0.00}, "lesson": {"events": 1, "minutes": 20.00}}"""));
            // 12 ISO weeks from Monday 2025-12-29 to Monday 2026-03-16; v3 (Sunday 02-06) is in week 02-02
            assertThat(row.get("weekly_trend")).isEqualTo(fx.json("""
                    [{"week": "2025-12-29", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-01-05", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-01-12", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-01-19", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-01-26", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-02-02", "activeDays": 1, "sessions": 1, "minutes": 1.00},
                     {"week": "2026-02-09", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-02-16", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-02-23", "activeDays": 1, "sessions": 1, "minutes": 15.00},
                     {"week": "2026-03-02", "activeDays": 1, "sessions": 1, "minutes": 20.00},
                     {"week": "2026-03-09", "activeDays": 0, "sessions": 0, "minutes": 0.00},
                     {"week": "2026-03-16", "activeDays": 1, "sessions": 2, "minutes": 35.00}]"""));
            assertThat((String) row.get("data")).contains("\"daysSinceActive\": 2", "\"contribution\": 0.1500", "\"contribution\": 0.0571");
        }

        @Test
        void localDaysAndWeeksFollowTheLearnersTimeZone() {
            UUID tokyo = learner();
            fx.timeZone(tokyo, "Asia/Tokyo");
            // Sunday 2026-03-15 20:00 UTC is Monday 03-16 05:00 in Tokyo (UTC+9); T is Wednesday 03-18 21:00 there
            fx.event(tokyo, "experienced", "video", "v1", null, null, null, 1_200, null, Instant.parse("2026-03-15T20:00:00Z"));
            Map<String, Object> row = fx.analytic("engagement", tokyo, T);
            assertThat((String) row.get("data")).contains("\"daysSinceActive\": 2"); // 03-18 - 03-16 local, not 03-18 - 03-15
            assertThat((String) row.get("weekly_trend")).endsWith(fx.json("{\"week\": \"2026-03-16\", \"activeDays\": 1, \"sessions\": 1, \"minutes\": 20.00}") + "]");
            // recency 2/14 x 0.4 = 0.0571; 1 session: 0.25/week -> (2 - 0.25)/2 = 0.875 x 0.3 = 0.2625;
            // 1 session in 7 days -> 0.5 x 0.2 = 0.1; 20 min -> 0; score = round(100 x (1 - 0.4196)) = round(58.04) = 58
            assertThat(row.get("overall_score")).isEqualTo(58);
        }

        @Test
        void neverActiveIsInsufficientData() {
            UUID idle = learner();
            Map<String, Object> row = fx.analytic("engagement", idle, T);
            assertThat(row.get("result_status")).isEqualTo("insufficient_data");
            assertThat(row.get("data")).isEqualTo(fx.json("{\"missing\": [\"learning_events\"]}"));
            assertThat(row.get("overall_score")).isNull();
        }
    }

    @Nested
    class SkillGaps {

        @Test
        void highestRequiredLevelOfActiveCoursesAgainstMastery() {
            UUID g = learner();
            fx.enrollment(g, C1, daysBefore(T, 30), null, 10); // sql 80, java 60, rust 80
            fx.enrollment(g, C2, daysBefore(T, 30), null, 10); // sql 90, python 50
            fx.enrollment(g, C3, daysBefore(T, 30), daysBefore(T, 2), 100); // completed: go 100 is out of scope
            fx.userSkill(g, "sql", 50, daysBefore(T, 10)); // required max(80, 90) = 90 -> gap 40: critical (>= 40), fresh
            fx.userSkill(g, "java", 60, daysBefore(T, 10)); // gap 0: not a gap
            fx.userSkill(g, "rust", 79.99, daysBefore(T, 91)); // gap 0.01: moderate, stale (> 90 days)
            // python: no row -> mastery 0, gap 50: critical, never assessed: stale

            Map<String, Object> row = fx.analytic("skill_gaps", g, T);
            assertThat(row.get("total_gaps")).isEqualTo(3);
            assertThat(row.get("critical_gaps")).isEqualTo(2);
            String python = """
                    {"skillId": "python", "name": "PYTHON", "current": 0.00, "required": 50.00, "gap": 50.00, "severity": "critical",
                     "lastAssessedAt": null, "stale": true}""";
            assertThat(row.get("gaps")).isEqualTo(fx.json("[" + python + """
                    , {"skillId": "sql", "name": "SQL", "current": 50.00, "required": 90.00, "gap": 40.00, "severity": "critical",
                       "lastAssessedAt": "2026-03-08T12:00:00Z", "stale": false},
                      {"skillId": "rust", "name": "RUST", "current": 79.99, "required": 80.00, "gap": 0.01, "severity": "moderate",
                       "lastAssessedAt": "2025-12-17T12:00:00Z", "stale": true}]"""));
            assertThat(row.get("top_priority")).isEqualTo(fx.json(python));
        }

        @Test
        void insufficientWithoutActiveEnrollmentsOrMappedSkills() {
            UUID onlyCompleted = learner();
            fx.enrollment(onlyCompleted, C3, daysBefore(T, 30), daysBefore(T, 2), 100);
            assertThat(fx.analytic("skill_gaps", onlyCompleted, T).get("data")).isEqualTo(fx.json("{\"missing\": [\"active_enrollments\"]}"));
            UUID unmapped = learner();
            fx.enrollment(unmapped, C4, daysBefore(T, 30), null, 10);
            Map<String, Object> row = fx.analytic("skill_gaps", unmapped, T);
            assertThat(row.get("result_status")).isEqualTo("insufficient_data");
            assertThat(row.get("data")).isEqualTo(fx.json("{\"missing\": [\"course_skills\"]}"));
        }

        @Test
        void everySkillMasteredIsNoGapNotInsufficientData() {
            UUID expert = learner();
            fx.enrollment(expert, C2, daysBefore(T, 30), null, 10);
            fx.userSkill(expert, "sql", 90, T.minusSeconds(60));
            fx.userSkill(expert, "python", 100, T.minusSeconds(60));
            Map<String, Object> row = fx.analytic("skill_gaps", expert, T);
            assertThat(row.get("result_status")).isEqualTo("ok");
            assertThat(row.get("total_gaps")).isEqualTo(0);
            assertThat(row.get("gaps")).isEqualTo("[]");
            assertThat(row.get("top_priority")).isNull();
        }
    }

    @Nested
    class Mastery {

        @Test
        void countsStatusesAndADistributionThatAddsUpToTheSkillCount() {
            UUID m = learner();
            fx.userSkill(m, "m-a", 0, null);        // not_started, [0,20)
            fx.userSkill(m, "m-b", 19.99, null);    // in_progress, [0,20)
            fx.userSkill(m, "m-c", 20, null);       // in_progress, [20,40)
            fx.userSkill(m, "m-d", 79.99, null);    // in_progress, [60,80)
            fx.userSkill(m, "m-e", 80, null);       // mastered, [80,100]
            fx.userSkill(m, "m-f", 100, daysBefore(T, 1)); // mastered, [80,100]
            Map<String, Object> row = fx.analytic("mastery", m, T);
            assertThat(row.get("mastered_skills")).isEqualTo(2);
            assertThat(row.get("in_progress_skills")).isEqualTo(3);
            assertThat(row.get("mastery_distribution")).isEqualTo(fx.json("{\"0-20\": 2, \"20-40\": 1, \"40-60\": 0, \"60-80\": 1, \"80-100\": 2}"));
            // property: the buckets add up to the skill count
            assertThat(fx.value("SELECT sum(value::int) FROM jsonb_each_text(?::jsonb)", row.get("mastery_distribution"))).isEqualTo(6L);
            assertThat((String) row.get("skills")).startsWith(fx.json(
                    "[{\"skillId\": \"m-f\", \"name\": \"M-F\", \"level\": 100.00, \"status\": \"mastered\", \"lastAssessedAt\": \"2026-03-17T12:00:00Z\"}]")
                    .replace("]", ""));
            assertThat((String) row.get("skills")).contains("\"status\": \"not_started\"");
        }

        @Test
        void distributionsAddUpForManyLearners() {
            // property over random levels: five buckets always add up to the number of skills
            java.util.Random random = new java.util.Random(11);
            for (int learnerNo = 0; learnerNo < 5; learnerNo++) {
                UUID m = learner();
                int skills = 1 + random.nextInt(6);
                for (int s = 0; s < skills; s++) fx.userSkill(m, "m-" + (char) ('a' + s), random.nextInt(10_001) / 100.0, null);
                Map<String, Object> row = fx.analytic("mastery", m, T);
                assertThat(fx.value("SELECT sum(value::int) FROM jsonb_each_text(?::jsonb)", row.get("mastery_distribution")))
                        .isEqualTo((long) skills);
                assertThat((int) row.get("mastered_skills") + (int) row.get("in_progress_skills")).isLessThanOrEqualTo(skills);
            }
        }

        @Test
        void noSkillsIsInsufficientData() {
            Map<String, Object> row = fx.analytic("mastery", learner(), T);
            assertThat(row.get("result_status")).isEqualTo("insufficient_data");
            assertThat(row.get("data")).isEqualTo(fx.json("{\"missing\": [\"user_skills\"]}"));
        }
    }

    @Nested
    class Performance {

        @Test
        void scoresPassRateTrendBySkillAndRecent() {
            UUID p = learner();
            // newest first: 90 sql, 80 sql, 50 java (failed), 100, 70, 30 (failed), 40 (failed), 60, 20 (failed), 90, and -0.5 -> 0 (failed)
            double[] scores = {0.9, 0.8, 0.5, 1.0, 0.7, 0.3, 0.4, 0.6, 0.2, 0.9};
            boolean[] passed = {true, true, false, true, true, false, false, true, false, true};
            String[] skills = {"sql", "sql", "java", null, null, null, null, null, null, null};
            for (int i = 0; i < scores.length; i++) fx.assessment(p, "p" + (i + 1), skills[i], passed[i], scores[i], daysBefore(T, i + 1));
            fx.assessment(p, "p11", null, false, -0.5, daysBefore(T, 83));
            fx.assessment(p, "old", null, true, 1.0, daysBefore(T, 85)); // outside W84
            fx.event(p, "passed", "quiz", "no-score", null, null, null, null, null, daysBefore(T, 1)); // no score: not an assessment
            fx.event(p, "completed", "quiz", "not-assessment", null, null, 1.0, null, null, daysBefore(T, 1)); // completed: not one

            Map<String, Object> row = fx.analytic("performance", p, T);
            assertThat(row.get("assessments_taken")).isEqualTo(11);
            // (90 + 80 + 50 + 100 + 70 + 30 + 40 + 60 + 20 + 90 + 0) / 11 = 630 / 11 = 57.2727
            assertThat(row.get("avg_score")).isEqualTo(dec("57.27"));
            // passed 6 of 11 = 54.5454
            assertThat(row.get("pass_rate")).isEqualTo(dec("54.55"));
            // last 5 (90 + 80 + 50 + 100 + 70) / 5 = 78; 5 before (30 + 40 + 60 + 20 + 90) / 5 = 48; +30 -> improving
            assertThat(row.get("trend")).isEqualTo("improving");
            assertThat(row.get("performance_by_skill")).isEqualTo(fx.json("""
                    {"sql": {"avgScore": 85.00, "attempts": 2, "passRate": 100.00},
                     "java": {"avgScore": 50.00, "attempts": 1, "passRate": 0.00}}"""));
            assertThat((String) row.get("recent_scores")).startsWith(fx.json(
                    "[{\"objectId\": \"p1\", \"score\": 90.00, \"success\": true, \"occurredAt\": \"2026-03-17T12:00:00Z\"}]").replace("]", ""));
            assertThat(fx.value("SELECT jsonb_array_length(?::jsonb)", row.get("recent_scores"))).isEqualTo(10);
        }

        @Test
        void trendEdges() {
            UUID five = learner(); // 5 assessments: trend insufficient_data, the rest computed
            for (int i = 1; i <= 5; i++) fx.assessment(five, "a" + i, null, true, 0.6, daysBefore(T, i));
            assertThat(fx.analytic("performance", five, T).get("trend")).isEqualTo("insufficient_data");
            assertThat(fx.analytic("performance", five, T).get("result_status")).isEqualTo("ok");

            UUID six = learner(); // newest five at 60, the one before at 65: 60 - 65 = -5 -> declining (<= -5)
            for (int i = 1; i <= 5; i++) fx.assessment(six, "a" + i, null, true, 0.6, daysBefore(T, i));
            fx.assessment(six, "a6", null, true, 0.65, daysBefore(T, 6));
            assertThat(fx.analytic("performance", six, T).get("trend")).isEqualTo("declining");

            UUID almost = learner(); // 60 vs 64.99: -4.99 -> stable
            for (int i = 1; i <= 5; i++) fx.assessment(almost, "a" + i, null, true, 0.6, daysBefore(T, i));
            fx.assessment(almost, "a6", null, true, 0.6499, daysBefore(T, 6));
            assertThat(fx.analytic("performance", almost, T).get("trend")).isEqualTo("stable");

            UUID none = learner();
            fx.assessment(none, "old", null, true, 1.0, daysBefore(T, 84.01)); // just outside W84
            Map<String, Object> row = fx.analytic("performance", none, T);
            assertThat(row.get("result_status")).isEqualTo("insufficient_data");
            assertThat(row.get("data")).isEqualTo(fx.json("{\"missing\": [\"assessments\"]}"));
        }
    }

    @Nested
    class ContentEffectiveness {

        @Test
        void effectOfContentIsTheNextAssessmentOnItsSkillWithin14Days() {
            UUID c = learner();
            fx.enrollment(c, C1, daysBefore(T, 70), null, 10); // gaps: sql 80, rust 80, java 60 (no mastery)
            // sql assessments: T-35d 100, T-18d 80, T-16d 90, T-9d 60, T-8d 70
            fx.assessment(c, "s1", "sql", true, 1.0, daysBefore(T, 35));
            fx.assessment(c, "s2", "sql", true, 0.8, daysBefore(T, 18));
            fx.assessment(c, "s3", "sql", true, 0.9, daysBefore(T, 16));
            fx.assessment(c, "s4", "sql", false, 0.6, daysBefore(T, 9));
            fx.assessment(c, "s5", "sql", true, 0.7, daysBefore(T, 8));
            fx.assessment(c, "j1", "java", false, 0.5, daysBefore(T, 36));
            // video: T-20d -> next sql T-18d = 80; T-10d -> T-9d = 60: mean 70 over 2
            fx.event(c, "experienced", "video", "v1", null, "sql", null, 300, null, daysBefore(T, 20));
            fx.event(c, "completed", "video", "v2", null, "sql", null, 300, null, daysBefore(T, 10));
            // reading: T-40d -> T-35d = 100; T-30d -> T-18d = 80: mean 90 over 2
            fx.event(c, "experienced", "reading", "r1", null, "sql", null, 300, null, daysBefore(T, 40));
            fx.event(c, "experienced", "reading", "r2", null, "sql", null, 300, null, daysBefore(T, 30));
            // lesson (java): T-50d -> T-36d exactly 14 days later = 50; T-37d -> T-36d = 50: mean 50 over 2;
            // T-51d -> T-36d is 15 days: no observation
            fx.event(c, "experienced", "lesson", "l1", null, "java", null, 300, null, daysBefore(T, 50));
            fx.event(c, "experienced", "lesson", "l2", null, "java", null, 300, null, daysBefore(T, 37));
            fx.event(c, "experienced", "lesson", "l3", null, "java", null, 300, null, daysBefore(T, 51));
            // exercise: T-12d -> T-9d = 60: 1 observation -> insufficient_data
            fx.event(c, "completed", "exercise", "x1", null, "sql", null, 300, null, daysBefore(T, 12));
            // not content: a quiz experienced, a video without a skill, an "attempted" video
            fx.event(c, "experienced", "quiz", "q", null, "sql", null, 300, null, daysBefore(T, 12));
            fx.event(c, "experienced", "video", "v-no-skill", null, null, null, 300, null, daysBefore(T, 12));
            fx.event(c, "attempted", "video", "v-attempted", null, "sql", null, 300, null, daysBefore(T, 12));

            Map<String, Object> row = fx.analytic("content_effectiveness", c, T);
            assertThat(row.get("most_effective")).isEqualTo(fx.json("""
                    [{"objectType": "reading", "meanEffect": 90.00, "observations": 2},
                     {"objectType": "video", "meanEffect": 70.00, "observations": 2},
                     {"objectType": "lesson", "meanEffect": 50.00, "observations": 2}]"""));
            assertThat(row.get("least_effective")).isEqualTo(fx.json("""
                    [{"objectType": "lesson", "meanEffect": 50.00, "observations": 2},
                     {"objectType": "video", "meanEffect": 70.00, "observations": 2},
                     {"objectType": "reading", "meanEffect": 90.00, "observations": 2}]"""));
            assertThat((String) row.get("data")).contains(fx.json(
                    "{\"objectType\": \"exercise\", \"observations\": 1, \"meanEffect\": null, \"status\": \"insufficient_data\"}"));
            // 9 content events (3 lessons, 2 readings, 2 videos, 1 exercise... and l3 without an effect): 8
            assertThat((String) row.get("data")).contains("\"contentEvents\": 8");
            // top 3 gaps: rust 80, sql 80 (ties by skill id), java 60 -> the most effective type, reading, for each
            String recommendations = (String) row.get("recommendations");
            assertThat(fx.value("SELECT string_agg(r ->> 'skillId' || ':' || (r ->> 'objectType'), ',') FROM jsonb_array_elements(?::jsonb) r",
                    recommendations)).isEqualTo("rust:reading,sql:reading,java:reading");
            assertThat(recommendations).contains("mean 90.00 over 2 observations");
        }

        @Test
        void insufficientWithoutRatedTypes() {
            UUID noAssessments = learner();
            fx.event(noAssessments, "experienced", "video", "v", null, "sql", null, 300, null, daysBefore(T, 3));
            Map<String, Object> row = fx.analytic("content_effectiveness", noAssessments, T);
            assertThat(row.get("result_status")).isEqualTo("insufficient_data");
            assertThat((String) row.get("data")).contains("\"missing\": [\"content_followed_by_assessment\"]");
            assertThat(row.get("most_effective")).isNull();

            UUID nothing = learner();
            assertThat(fx.analytic("content_effectiveness", nothing, T).get("data")).isEqualTo(fx.json("{\"missing\": [\"content_events\"]}"));
        }
    }

    @Test
    void oneCallServesManyLearnersWithOneRowEach() {
        UUID a = learner();
        UUID b = learner();
        fx.enrollment(a, C1, daysBefore(T, 10), null, 20);
        Object rows = fx.value("SELECT count(*) FROM analytics.analytics_velocity(ARRAY[?, ?, ?, gen_random_uuid()]::uuid[], ?)", a, b, a, T);
        assertThat(rows).isEqualTo(2L); // duplicates once, unknown ids skipped
    }
}
