package org.learninganalytics.http.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.gamification.Award;
import org.learninganalytics.db.ingestion.Course;
import org.learninganalytics.db.ingestion.Enrollment;
import org.learninganalytics.db.ingestion.Organization;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.preferences.LeaderboardPrivacy;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.testing.TestDatabase;
import org.learninganalytics.http.AnalyticsServer;
import org.learninganalytics.http.ServerSettings;
import org.learninganalytics.http.auth.TokenVerifier;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.javalin.Javalin;

/**
 * The real server on a random port over a test database holding two organizations:
 * <ul>
 *   <li>A: learner {@code alice} (100 points, enrolled in {@code courseA}), {@code anon}
 *       (anonymous, 50), {@code hidden} (hidden, 70), {@code trainer} of courseA, {@code orgAdmin},
 *       {@code platformAdmin};</li>
 *   <li>B: learner {@code bob} (200 points).</li>
 * </ul>
 * Tokens are HS256 with {@link #SECRET}; the service token's role is {@code service_role}.
 */
public final class TestServer implements AutoCloseable {

    public static final String SECRET = "test-secret-of-at-least-thirty-two-bytes-0123456789";

    public final UUID orgA = UUID.randomUUID();
    public final UUID orgB = UUID.randomUUID();
    public final UUID alice = UUID.randomUUID();
    public final UUID anon = UUID.randomUUID();
    public final UUID hidden = UUID.randomUUID();
    public final UUID trainer = UUID.randomUUID();
    public final UUID orgAdmin = UUID.randomUUID();
    public final UUID platformAdmin = UUID.randomUUID();
    public final UUID bob = UUID.randomUUID();
    public final UUID courseA = UUID.randomUUID();

    public final AnalyticsDb db;
    public final ApiClient api;
    private final Javalin app;

    private TestServer(AnalyticsDb db, ServerSettings settings) {
        this.db = db;
        seed();
        this.app = AnalyticsServer.create(db, settings).start(0);
        this.api = new ApiClient(app.port());
    }

    /** A server with HS256 tokens over {@code database}, seeded as the class comment says. */
    public static TestServer start(TestDatabase database) {
        return start(database, settings());
    }

    /** With {@code settings}; the pool reports to the settings' metrics, as in {@code serve}. */
    public static TestServer start(TestDatabase database, ServerSettings settings) {
        AnalyticsDb db = AnalyticsDb.builder()
                .jdbcUrl(database.jdbcUrl(), TestDatabase.APP_USER, System.getenv(TestDatabase.APP_PASSWORD_VARIABLE))
                .poolMetrics(new MicrometerMetricsTrackerFactory(settings.metrics().registry()))
                .build();
        return new TestServer(db, settings);
    }

    /** Default settings with the test secret. */
    public static ServerSettings settings() {
        return ServerSettings.of(verifier());
    }

    public static TokenVerifier verifier() {
        return TestTokens.verifierForSecret(SECRET);
    }

    public int port() {
        return app.port();
    }

    public Javalin app() {
        return app;
    }

    /** A valid token for {@code user}. */
    public String token(UUID user) {
        return TestTokens.hs256(SECRET).user(user);
    }

    public String serviceToken() {
        return TestTokens.hs256(SECRET).service();
    }

    public static Principal principal(UUID userId, UUID org, Role... roles) {
        return new Principal(userId, org, Set.of(roles));
    }

    private void seed() {
        var ingestion = db.system().ingestion();
        ingestion.upsertOrganizations(List.of(new Organization(orgA, "Org A", "a.example", null),
                new Organization(orgB, "Org B", "b.example", null)));
        ingestion.upsertUsers(List.of(
                new User(alice, "alice@a.example", "Alice", null, orgA, Set.of(Role.LEARNER)),
                new User(anon, "anon@a.example", "Anna Nonymous", null, orgA, Set.of(Role.LEARNER)),
                new User(hidden, "hidden@a.example", "Hidden Hugo", null, orgA, Set.of(Role.LEARNER)),
                new User(trainer, "trainer@a.example", "Tina Trainer", null, orgA, Set.of(Role.TRAINER)),
                new User(orgAdmin, "admin@a.example", "Adam Admin", null, orgA, Set.of(Role.ORG_ADMIN)),
                new User(platformAdmin, "root@a.example", "Pat Platform", null, orgA, Set.of(Role.PLATFORM_ADMIN)),
                new User(bob, "bob@b.example", "Bob", null, orgB, Set.of(Role.LEARNER))));
        ingestion.upsertCourses(List.of(new Course(courseA, "Course A", null, orgA, trainer, 12)));
        ingestion.upsertEnrollments(List.of(new Enrollment(alice, courseA, Instant.now(), null, new BigDecimal("10"))));
        var awards = db.system().gamification().awards();
        awards.award(new Award(alice, "course_completed", "seed-alice", 100, null, null));
        awards.award(new Award(anon, "course_completed", "seed-anon", 50, null, null));
        awards.award(new Award(hidden, "course_completed", "seed-hidden", 70, null, null));
        awards.award(new Award(bob, "course_completed", "seed-bob", 200, null, null));
        db.as(principal(anon, orgA, Role.LEARNER)).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.ANONYMOUS);
        db.as(principal(hidden, orgA, Role.LEARNER)).preferences().setLeaderboardPrivacy(LeaderboardPrivacy.HIDDEN);
        db.system().leaderboards().refresh();
    }

    @Override
    public void close() {
        app.stop();
    }
}
