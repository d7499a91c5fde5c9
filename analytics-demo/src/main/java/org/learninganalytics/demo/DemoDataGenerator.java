package org.learninganalytics.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty database with realistic, reproducible data: organizations, users with
 * roles, courses with trainers, enrollments, user skills, a points ledger spread over the
 * last days, and what derives from it (daily activity, totals, levels, streaks); course lengths
 * and skills, and learning events of the last 90 days at most (sessions of a few events minutes
 * apart: videos, readings, exercises and lessons on the course's skills, assessments whose
 * score follows the learner's mastery, and progress rising per enrollment).
 *
 * <p><b>Drop-outs.</b> {@value #DROP_OFF_PERCENT} % of learners, chosen by
 * {@link #dropOffDays(long, UUID)} from the seed and their id, stop all activity (events and
 * points) 10 to 30 days before the last day, and are less active in the weeks before: the
 * ground truth against which the drop-off risk is validated (ANALYTICS.md).
 *
 * <p>Rows go in with COPY, in primary-key order with time-ordered ids so every index fills
 * front to back. The people and courses are one transaction; then the ledger and daily
 * activity load in parallel on two connections. Totals, levels and streaks ({@code
 * user_points}) come last, from the database's own ledger replay
 * ({@code analytics.replay_user_points}), so the rules that derive them are defined once,
 * in SQL. A failure after the first commit leaves a partly filled database: drop it and
 * generate again. Service path. Thread-safe.
 */
public final class DemoDataGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDataGenerator.class);

    /** The library's service role (migration V006): the generator writes as it, like ingestion. */
    static final String SERVICE_ROLE = "analytics_service";

    private static final String[] FIRST_NAMES = {"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines",
        "Jonas", "Kemi", "Luca", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Yusuf", "Zoe"};
    private static final String[] LAST_NAMES = {"Adams", "Bauer", "Costa", "Diallo", "Eriksen", "Fischer", "Garcia", "Haddad",
        "Ivanova", "Jensen", "Kim", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Weber"};
    private static final String[] ORG_WORDS = {"Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
        "Acme", "Hooli", "Vandelay", "Tyrell", "Cyberdyne", "Soylent", "Aperture", "Oscorp"};
    private static final String[] COURSE_TOPICS = {"SQL Fundamentals", "React in Practice", "Java Backend Basics",
        "Data Modeling", "Cloud Foundations", "Secure Coding", "Agile Teams", "Statistics for Engineers",
        "Kubernetes Operations", "UX Research Methods", "Python for Data", "Leadership Essentials"};

    private record Activity(String type, int points, int frequency) {
    }

    private static final List<Activity> ACTIVITIES = List.of(
            new Activity("lesson_completed", 10, 50), new Activity("quiz_completed", 25, 25),
            new Activity("daily_login", 5, 15), new Activity("assignment_submitted", 40, 8),
            new Activity("course_completed", 100, 2));
    private static final int TOTAL_FREQUENCY = ACTIVITIES.stream().mapToInt(Activity::frequency).sum();

    private record Person(UUID id, int org, String role, String email, String name, Instant created) {
    }

    /** The share of learners who drop off, in percent. */
    public static final int DROP_OFF_PERCENT = 15;

    /**
     * How many days before the last day the activity of {@code learner} stops (10 to 30), or 0
     * for a learner who does not drop off. A rule of the seed and the learner's id alone, so a
     * test can tell the drop-outs of generated data without the generator's state: about
     * {@value #DROP_OFF_PERCENT} % of learners drop off.
     */
    public static int dropOffDays(long seed, UUID learner) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEE_CE66_DL ^ learner.getMostSignificantBits() * 31
                ^ learner.getLeastSignificantBits());
        if (random.nextInt(100) >= DROP_OFF_PERCENT) return 0;
        return 10 + random.nextInt(21);
    }

    /** Where a learner's activity ends: the end of the last day, or earlier for a drop-out. */
    private static Instant activeEnd(long seed, UUID learner, Instant end) {
        return end.minus(Duration.ofDays(dropOffDays(seed, learner)));
    }

    private record Enrolled(UUID course, Instant enrolled, Instant completed, int progress) {
    }

    private final DataSource dataSource;

    /**
     * @param dataSource connections as a login that may {@code SET ROLE analytics_service}, such
     *                   as the service's pool login {@code analytics_app}
     */
    public DemoDataGenerator(DataSource dataSource) {
        this.dataSource = java.util.Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Generates {@code scale} with today (UTC) as the last day of activity. */
    public DemoDataReport generate(DemoScale scale) {
        return generate(scale, LocalDate.now(ZoneOffset.UTC));
    }

    /**
     * Generates {@code scale} with activity ending on {@code lastDay} (UTC). The same scale and
     * day always give the same rows.
     *
     * @throws AnalyticsDbException when the database already holds organizations (nothing is written)
     */
    public DemoDataReport generate(DemoScale scale, LocalDate lastDay) {
        long started = System.nanoTime();
        Instant end = lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant start = end.minus(Duration.ofDays(scale.days()));
        SplittableRandom random = new SplittableRandom(scale.seed());

        People people = inTransaction(connection -> people(connection, scale, start, end, random));
        Instant[] activeEnds = people.learners().stream().map(id -> activeEnd(scale.seed(), id, end)).toArray(Instant[]::new);
        Ledger ledger = new Ledger(scale, people.learners(), activeEnds, start, random.nextLong());
        Instant eventsStart = end.minus(Duration.ofDays(Math.min(scale.days(), 90)));
        EventLog events = new EventLog(scale, people, activeEnds, eventsStart, random.nextLong());
        inTransaction(connection -> makePartitions(connection, "create_learning_event_partitions", eventsStart, end));
        inTransaction(connection -> makePartitions(connection, "create_point_transaction_partitions", start, end));
        CompletableFuture<Long> transactions;
        CompletableFuture<Long> dailyActivity;
        CompletableFuture<Long> learningEvents;
        long[] eventsLoadNanos = new long[1];
        try (ExecutorService loaders = Executors.newFixedThreadPool(3)) {
            transactions = CompletableFuture.supplyAsync(
                    () -> inTransaction(connection -> ledger.write(connection)), loaders);
            dailyActivity = CompletableFuture.supplyAsync(
                    () -> inTransaction(connection -> ledger.writeDailyActivity(connection)), loaders);
            learningEvents = CompletableFuture.supplyAsync(() -> inTransaction(connection -> {
                long loadStarted = System.nanoTime();
                long written = events.write(connection);
                eventsLoadNanos[0] = System.nanoTime() - loadStarted;
                return written;
            }), loaders);
            CompletableFuture.allOf(transactions, dailyActivity, learningEvents).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof AnalyticsDbException known ? known : new AnalyticsDbException(e.getCause().getMessage(), e.getCause());
        }
        inTransaction(connection -> {
            long replayStarted = System.nanoTime();
            long users = count(connection, "SELECT count(*) FROM replay_user_points(NULL, true)");
            LOG.info("Demo data: derived user_points of {} users by ledger replay in {} ms",
                    users, (System.nanoTime() - replayStarted) / 1_000_000);
            execute(connection, """
                    INSERT INTO user_preferences (user_id, leaderboard_privacy)
                    SELECT id, CASE WHEN abs(hashtext(id::text)) % 20 = 0 THEN 'hidden'
                                    WHEN abs(hashtext(id::text)) % 20 < 4 THEN 'anonymous'
                                    ELSE 'public' END
                    FROM users
                    """);
            execute(connection, "SELECT refresh_leaderboards()");
            return null;
        });
        int dropOuts = (int) people.learners().stream().filter(id -> dropOffDays(scale.seed(), id) > 0).count();
        LOG.info("Demo data: {} learning events loaded in {} ms (COPY into staging, then INSERT ... SELECT); {} of {} learners drop off",
                learningEvents.join(), eventsLoadNanos[0] / 1_000_000, dropOuts, people.learners().size());
        return new DemoDataReport(scale.organizations(), people.users(), people.courses(), people.enrollments(),
                people.userSkills(), transactions.join(), dailyActivity.join(), people.courseSkills().values().stream().mapToInt(List::size).sum(), learningEvents.join(), dropOuts,
                Duration.ofNanos(eventsLoadNanos[0]), Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * What the people transaction made, as far as the ledger and the events need it: learners
     * in id order, and per learner (same index) their enrollments and mastery by skill.
     */
    private record People(int users, int courses, int enrollments, int userSkills, List<UUID> learners,
                          List<List<Enrolled>> enrollmentsOf, List<Map<String, Double>> masteryOf,
                          Map<UUID, List<String>> courseSkills) {
    }

    /** Organizations, users with roles, courses, enrollments and user skills. */
    private People people(Connection connection, DemoScale scale, Instant start, Instant end, SplittableRandom random)
            throws SQLException, IOException {
        execute(connection, "LOCK TABLE organizations IN SHARE ROW EXCLUSIVE MODE");
        if (count(connection, "SELECT count(*) FROM organizations") > 0) {
            throw new AnalyticsDbException("Demo data goes into an empty database; this one already has organizations");
        }
        IdSequence ids = new IdSequence(1);

        List<UUID> orgIds = new ArrayList<>();
        List<String> orgDomains = new ArrayList<>();
        try (Writer out = copy(connection, "organizations", "id, name, domain, settings, created_at")) {
            for (int o = 0; o < scale.organizations(); o++) {
                UUID id = uuid(random);
                String word = ORG_WORDS[o % ORG_WORDS.length] + (o < ORG_WORDS.length ? "" : " " + (o / ORG_WORDS.length + 1));
                String domain = word.toLowerCase(Locale.ROOT).replace(' ', '-') + ".example";
                orgIds.add(id);
                orgDomains.add(domain);
                row(out, id, word + " Learning", domain, "{\"locale\": \"en\"}", start.minus(Duration.ofDays(365)));
            }
        }

        // A platform admin, then per organization one admin, ~4% trainers and the rest learners.
        // Organization sizes are skewed (some tenants are much larger), as in real deployments.
        List<Person> persons = new ArrayList<>();
        persons.add(new Person(uuid(random), -1, "platform_admin", "platform.admin@analytics.example", "Platform Admin", start));
        double[] orgWeights = new double[scale.organizations()];
        double weightSum = 0;
        for (int o = 0; o < orgWeights.length; o++) weightSum += orgWeights[o] = 1.0 / (1 + o * 0.35);
        int remaining = scale.users() - 1;
        for (int o = 0; o < scale.organizations(); o++) {
            int size = o == scale.organizations() - 1 ? remaining
                    : Math.max(3, (int) Math.round((scale.users() - 1) * orgWeights[o] / weightSum));
            size = Math.min(size, remaining - 3 * (scale.organizations() - 1 - o));
            remaining -= size;
            int trainers = Math.max(1, size / 25);
            for (int i = 0; i < size; i++) {
                String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
                String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
                String email = (first + "." + last + "." + i).toLowerCase(Locale.ROOT) + "@" + orgDomains.get(o);
                String role = i == 0 ? "org_admin" : i <= trainers ? "trainer" : "learner";
                persons.add(new Person(uuid(random), o, role, email, first + " " + last,
                        start.minus(Duration.ofDays(random.nextInt(1, 300)))));
            }
        }
        persons.sort(Comparator.comparing(Person::id, DemoDataGenerator::compareAsPostgres));
        try (Writer out = copy(connection, "users", "id, email, full_name, organization_id, created_at, updated_at")) {
            for (Person p : persons) row(out, p.id(), p.email(), p.name(), p.org() < 0 ? null : orgIds.get(p.org()), p.created(), p.created());
        }
        try (Writer out = copy(connection, "user_roles", "id, user_id, role, granted_at")) {
            for (Person p : persons) row(out, ids.next(), p.id(), p.role(), p.created());
        }

        // Courses, each trained by a trainer of its organization.
        List<List<UUID>> trainersByOrg = new ArrayList<>();
        List<Integer> learnersPerOrg = new ArrayList<>();
        for (int o = 0; o < scale.organizations(); o++) {
            trainersByOrg.add(new ArrayList<>());
            learnersPerOrg.add(0);
        }
        for (Person p : persons) {
            if (p.role().equals("trainer")) trainersByOrg.get(p.org()).add(p.id());
            if (p.role().equals("learner")) learnersPerOrg.set(p.org(), learnersPerOrg.get(p.org()) + 1);
        }
        List<String> skillIds = strings(connection, "SELECT id FROM skills ORDER BY id");
        List<List<UUID>> coursesByOrg = new ArrayList<>();
        int courses = 0;
        try (Writer out = copy(connection, "courses", "id, name, description, organization_id, trainer_id, created_at, expected_weeks")) {
            for (int o = 0; o < scale.organizations(); o++) {
                List<UUID> orgCourses = new ArrayList<>();
                List<UUID> trainers = trainersByOrg.get(o);
                for (int c = 0; c < Math.max(2, learnersPerOrg.get(o) / 25); c++) {
                    UUID id = ids.next();
                    String topic = COURSE_TOPICS[c % COURSE_TOPICS.length];
                    row(out, id, topic + (c < COURSE_TOPICS.length ? "" : " " + (c / COURSE_TOPICS.length + 1)),
                            "Self-paced course on " + topic, orgIds.get(o), trainers.get(random.nextInt(trainers.size())),
                            start.minus(Duration.ofDays(400)), 4 + random.nextInt(13));
                    orgCourses.add(id);
                    courses++;
                }
                coursesByOrg.add(orgCourses);
            }
        }

        // Each course teaches two or three skills of the catalogue, at a level of 60 to 90.
        Map<UUID, List<String>> courseSkills = new LinkedHashMap<>();
        try (Writer out = copy(connection, "course_skills", "course_id, skill_id, required_level")) {
            for (List<UUID> orgCourses : coursesByOrg) {
                for (UUID course : orgCourses) {
                    int first = random.nextInt(skillIds.size());
                    List<String> taught = new ArrayList<>();
                    for (int k = 0; k < Math.min(skillIds.size(), 2 + random.nextInt(2)); k++) {
                        String skill = skillIds.get((first + k) % skillIds.size());
                        taught.add(skill);
                        row(out, course, skill, 60 + 10 * random.nextInt(4));
                    }
                    courseSkills.put(course, taught);
                }
            }
        }

        List<UUID> learners = new ArrayList<>();
        for (Person p : persons) if (p.role().equals("learner")) learners.add(p.id());
        List<List<Enrolled>> enrollmentsOf = new ArrayList<>();
        int enrollments = 0;
        try (Writer out = copy(connection, "enrollments", "id, user_id, course_id, enrolled_at, completed_at, progress_percent")) {
            for (Person p : persons) {
                if (!p.role().equals("learner")) continue;
                // A drop-out's enrollments freeze where they stopped: none completed or progressed after it.
                Instant activeEnd = activeEnd(scale.seed(), p.id(), end);
                List<Enrolled> own = new ArrayList<>();
                List<UUID> orgCourses = coursesByOrg.get(p.org());
                int first = random.nextInt(orgCourses.size());
                int count = Math.min(orgCourses.size(), 1 + random.nextInt(3));
                for (int k = 0; k < count; k++) {
                    Instant enrolled = start.plus(Duration.ofHours(random.nextLong(Duration.between(start, end).toHours())));
                    int progress = random.nextInt(5) == 0 ? 100 : random.nextInt(100);
                    Instant completed = progress < 100 ? null : min(enrolled.plus(Duration.ofDays(random.nextInt(1, 30))), end.minusSeconds(1));
                    if (!enrolled.isBefore(activeEnd)) {
                        progress = 0;
                        completed = null;
                    } else if (completed != null && !completed.isBefore(activeEnd)) {
                        progress = (int) (100 * Duration.between(enrolled, activeEnd).toSeconds() / Duration.between(enrolled, completed).toSeconds());
                        completed = null;
                    }
                    UUID course = orgCourses.get((first + k) % orgCourses.size());
                    row(out, ids.next(), p.id(), course, enrolled, completed, progress);
                    own.add(new Enrolled(course, enrolled, completed, progress));
                    enrollments++;
                }
                enrollmentsOf.add(own);
            }
        }

        List<Map<String, Double>> masteryOf = new ArrayList<>();
        int userSkills = 0;
        try (Writer out = copy(connection, "user_skills", "id, user_id, skill_id, mastery_level, last_assessed_at")) {
            for (UUID learner : learners) {
                Map<String, Double> mastery = new HashMap<>();
                masteryOf.add(mastery);
                int first = random.nextInt(skillIds.size());
                int count = Math.min(skillIds.size(), 2 + random.nextInt(5));
                for (int k = 0; k < count; k++) {
                    double level = Math.max(0, Math.min(100, 55 + 22 * random.nextGaussian()));
                    mastery.put(skillIds.get((first + k) % skillIds.size()), level);
                    row(out, ids.next(), learner, skillIds.get((first + k) % skillIds.size()),
                            String.format(Locale.ROOT, "%.2f", level),
                            start.plus(Duration.ofMinutes(random.nextLong(Duration.between(start, end).toMinutes()))));
                    userSkills++;
                }
            }
        }
        return new People(persons.size(), courses, enrollments, userSkills, learners, enrollmentsOf, masteryOf, courseSkills);
    }

    /**
     * The points ledger. Activity per learner is log-normally skewed (a few very active
     * learners); each learner's transactions come from a random stream of their own, so a
     * second pass derives daily activity without holding 5 million rows.
     */
    private static final class Ledger {
        private final List<UUID> learners;
        private final long[] counts;
        private final long seed;
        private final Instant start;
        /** Per learner: how long after the start their activity goes on (shorter for drop-outs). */
        private final long[] windowSeconds;

        Ledger(DemoScale scale, List<UUID> learners, Instant[] activeEnds, Instant start, long seed) {
            this.learners = learners;
            this.seed = seed;
            this.start = start;
            this.windowSeconds = new long[learners.size()];
            for (int i = 0; i < windowSeconds.length; i++) windowSeconds[i] = Math.max(3_600, Duration.between(start, activeEnds[i]).toSeconds());
            this.counts = allocate(scale.pointTransactions(), learners.size(), new SplittableRandom(seed));
        }

        interface Visitor {
            void accept(Activity activity, Instant at) throws IOException;
        }

        void forEachTransaction(int learner, Visitor visitor) throws IOException {
            SplittableRandom random = new SplittableRandom(seed ^ (0x9E37_79B9_7F4A_7C15L * (learner + 1)));
            for (long k = 0; k < counts[learner]; k++) {
                int pick = random.nextInt(TOTAL_FREQUENCY);
                Activity activity = ACTIVITIES.get(0);
                for (Activity candidate : ACTIVITIES) {
                    if (pick < candidate.frequency()) {
                        activity = candidate;
                        break;
                    }
                    pick -= candidate.frequency();
                }
                visitor.accept(activity, start.plusSeconds(random.nextLong(windowSeconds[learner])));
            }
        }

        long write(Connection connection) throws SQLException, IOException {
            IdSequence ids = new IdSequence(2);
            long written = 0;
            try (Writer out = copy(connection, "point_transactions", "id, user_id, points, activity_type, \"timestamp\"")) {
                for (int i = 0; i < learners.size(); i++) {
                    String user = learners.get(i).toString();
                    forEachTransaction(i, (activity, at) -> row(out, ids.next(), user, activity.points(), activity.type(), at));
                    written += counts[i];
                }
            }
            return written;
        }

        /** daily_activity (UTC days, the learners' default time zone) from a second pass over the same transactions. */
        long writeDailyActivity(Connection connection) throws SQLException, IOException {
            IdSequence ids = new IdSequence(3);
            long days = 0;
            try (Writer out = copy(connection, "daily_activity", "id, user_id, date, last_activity_at")) {
                for (int i = 0; i < learners.size(); i++) {
                    if (counts[i] == 0) continue;
                    TreeMap<LocalDate, Instant> lastByDay = new TreeMap<>();
                    forEachTransaction(i, (activity, at) ->
                            lastByDay.merge(LocalDate.ofInstant(at, ZoneOffset.UTC), at, (a, b) -> a.isAfter(b) ? a : b));
                    for (var day : lastByDay.entrySet()) {
                        row(out, ids.next(), learners.get(i), day.getKey(), day.getValue());
                        days++;
                    }
                }
            }
            return days;
        }
    }

    /**
     * The monthly partitions of [start, end) of a table, by its partition function: made before
     * loading, so that no row lands in the default partition.
     */
    private static Void makePartitions(Connection connection, String function, Instant start, Instant end) throws SQLException {
        LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC).withDayOfMonth(1);
        LocalDate last = LocalDate.ofInstant(end, ZoneOffset.UTC).withDayOfMonth(1);
        int months = (int) java.time.temporal.ChronoUnit.MONTHS.between(first, last) + 1;
        execute(connection, "SELECT " + function + "(DATE '" + first + "', " + months + ")");
        return null;
    }

    /**
     * Learning events (ANALYTICS.md), per learner from a random stream of their own: sessions
     * at random times of their active window (weighted towards its start for drop-outs, whose
     * activity thins out before it stops; a regular learner's last session is in the last five
     * days), each of a few events minutes apart: initialized, two to five content events
     * (video, reading, exercise, lesson) on the course's skills, an assessment now and then
     * (passed/failed, score_scaled around the learner's mastery of the skill), the
     * enrollment's progress (rising linearly from enrollment to its final value), terminated;
     * and a completed event for each enrollment completed in the window.
     */
    private static final class EventLog {
        private static final String BASE = "https://demo.learninganalytics.org/";
        private static final String[] CONTENT = {"video", "video", "video", "reading", "reading", "exercise", "exercise", "lesson"};
        private static final double PASS_SCORE = 0.7;

        private final People people;
        private final Instant[] activeEnds;
        private final Instant start;
        private final long seed;
        private final long[] counts;
        private final boolean[] dropOuts;

        EventLog(DemoScale scale, People people, Instant[] activeEnds, Instant start, long seed) {
            this.people = people;
            this.dropOuts = new boolean[people.learners().size()];
            for (int i = 0; i < dropOuts.length; i++) dropOuts[i] = dropOffDays(scale.seed(), people.learners().get(i)) > 0;
            this.activeEnds = activeEnds;
            this.start = start;
            this.seed = seed;
            this.counts = allocate(scale.learningEvents(), people.learners().size(), new SplittableRandom(seed));
        }

        long write(Connection connection) throws SQLException, IOException {
            IdSequence ids = new IdSequence(4);
            long written = 0;
            try (Writer out = copy(connection, "learning_events", "event_id, user_id, verb, object_id, object_type, course_id, skill_id,"
                    + " score_scaled, success, completion, duration_seconds, progress_percent, occurred_at, stored_at")) {
                for (int i = 0; i < counts.length; i++) {
                    written += new Learner(i, out, ids).write();
                }
            }
            return written;
        }

        /** One learner's events. */
        private final class Learner {
            private final Writer out;
            private final IdSequence ids;
            private final SplittableRandom random;
            private final UUID user;
            private final List<Enrolled> enrollments;
            private final Map<String, Double> mastery;
            private final double meanMastery;
            private final Instant to;
            private final boolean dropOut;
            private long budget;
            private long written;
            /** Events the current session may still write; completions are outside sessions. */
            private long sessionLeft = Long.MAX_VALUE;

            Learner(int index, Writer out, IdSequence ids) {
                this.out = out;
                this.ids = ids;
                this.random = new SplittableRandom(seed ^ (0x9E37_79B9_7F4A_7C15L * (index + 1)));
                this.user = people.learners().get(index);
                this.enrollments = people.enrollmentsOf().get(index);
                this.mastery = people.masteryOf().get(index);
                this.meanMastery = mastery.values().stream().mapToDouble(Double::doubleValue).average().orElse(50);
                this.to = activeEnds[index];
                this.dropOut = dropOuts[index];
                this.budget = counts[index];
            }

            long write() throws IOException {
                if (budget == 0 || !to.isAfter(start)) return 0;
                List<Enrolled> completions = enrollments.stream()
                        .filter(e -> e.completed() != null && !e.completed().isBefore(start) && e.completed().isBefore(to)).toList();
                long sessionBudget = Math.max(0, budget - completions.size());
                long span = Duration.between(start, to).toSeconds();
                boolean thinsOut = dropOut; // fewer sessions towards the end: activity thins out, then stops
                // About six events per session; the sizes add up to the budget exactly.
                int sessions = (int) Math.ceil(sessionBudget / 6.0);
                if (sessions == 0) sessions = 1;
                long[] offsets = new long[sessions];
                for (int k = 0; k < sessions; k++) {
                    double u = random.nextDouble();
                    offsets[k] = (long) (span * (thinsOut ? Math.pow(u, 1.6) : u));
                }
                if (!thinsOut && span > 5 * 86_400L) offsets[sessions - 1] = span - random.nextLong(5 * 86_400L);
                java.util.Arrays.sort(offsets);
                long limit = budget;
                budget = sessionBudget;
                for (int k = 0; k < sessions; k++) {
                    long size = sessionBudget / sessions + (k < sessionBudget % sessions ? 1 : 0);
                    if (size > 0) session(start.plusSeconds(offsets[k]), (int) size);
                }
                budget = limit;
                sessionLeft = Long.MAX_VALUE;
                for (Enrolled e : completions) {
                    if (written >= budget) break;
                    emit("completed", course(e.course()), "course", e.course(), null, null, null, true, null, "100.00", e.completed());
                }
                return written;
            }

            /** One session of {@code size} events from {@code at}, a few minutes apart. */
            private void session(Instant at, int size) throws IOException {
                sessionLeft = size;
                List<Enrolled> active = new ArrayList<>();
                for (Enrolled e : enrollments) {
                    if (!e.enrolled().isAfter(at) && (e.completed() == null || e.completed().isAfter(at))) active.add(e);
                }
                Enrolled enrolled = active.isEmpty() ? null : active.get(random.nextInt(active.size()));
                UUID course = enrolled == null ? null : enrolled.course();
                List<String> skills = course == null ? List.of() : people.courseSkills().getOrDefault(course, List.of());
                String where = course == null ? BASE + "library/" : course(course) + "/";
                Instant t = at;
                emit("initialized", course == null ? BASE + "portal" : course(course), course == null ? "other" : "course", course,
                        null, null, null, null, null, null, t);
                int fixed = 2 + (enrolled == null ? 0 : 1);
                boolean assessment = !skills.isEmpty() && random.nextInt(100) < 35 && size > fixed;
                int contents = Math.max(0, size - fixed - (assessment ? 1 : 0));
                for (int k = 0; k < contents; k++) {
                    t = t.plusSeconds(60 + random.nextInt(240));
                    String type = CONTENT[random.nextInt(CONTENT.length)];
                    String skill = skills.isEmpty() ? null : skills.get(random.nextInt(skills.size()));
                    int minutes = switch (type) {
                        case "video" -> 3 + random.nextInt(13);
                        case "reading" -> 4 + random.nextInt(17);
                        case "exercise" -> 1 + random.nextInt(5);
                        default -> 5 + random.nextInt(16);
                    };
                    String verb = switch (type) {
                        case "exercise" -> "answered";
                        case "lesson" -> "completed";
                        default -> "experienced";
                    };
                    Boolean success = type.equals("exercise") ? random.nextDouble() * 100 < level(skill) : null;
                    emit(verb, where + type + "/" + (1 + random.nextInt(20)), type, course, skill, null, success,
                            type.equals("lesson") ? Boolean.TRUE : null, minutes * 60, null, t);
                    t = t.plusSeconds(minutes * 60L);
                }
                if (assessment) {
                    t = t.plusSeconds(60 + random.nextInt(180));
                    String skill = skills.get(random.nextInt(skills.size()));
                    double score = Math.max(0, Math.min(1, level(skill) / 100 + 0.12 * random.nextGaussian()));
                    boolean passed = score >= PASS_SCORE;
                    int minutes = 5 + random.nextInt(16);
                    emit(passed ? "passed" : "failed", where + "quiz/" + (1 + random.nextInt(8)), random.nextInt(10) < 7 ? "quiz" : "assessment",
                            course, skill, decimal(Math.round(score * 10_000), 4), passed, true, minutes * 60, null, t);
                    t = t.plusSeconds(minutes * 60L);
                }
                if (enrolled != null) {
                    t = t.plusSeconds(30 + random.nextInt(90));
                    emit("progressed", course(course), "course", course, null, null, null, null, null, decimal(progressAt(enrolled, t), 2), t);
                }
                emit("terminated", course == null ? BASE + "portal" : course(course), course == null ? "other" : "course", course,
                        null, null, null, null, null, null, t.plusSeconds(10 + random.nextInt(50)));
            }

            /** The learner's mastery of {@code skill} (0 to 100), their mean mastery for a skill they have no level of. */
            private double level(String skill) {
                return skill == null ? meanMastery : mastery.getOrDefault(skill, meanMastery);
            }

            /** The enrollment's progress at {@code t} in hundredths of a percent: rising linearly to its final value. */
            private long progressAt(Enrolled e, Instant t) {
                Instant finish = e.completed() != null ? e.completed() : to;
                double span = Math.max(1, Duration.between(e.enrolled(), finish).toSeconds());
                double share = Math.max(0, Math.min(1, Duration.between(e.enrolled(), t).toSeconds() / span));
                return Math.round(e.progress() * share * 100);
            }

            private void emit(String verb, String objectId, String objectType, UUID course, String skill, String score, Boolean success,
                              Boolean completion, Integer seconds, String progress, Instant at) throws IOException {
                if (written >= budget || sessionLeft-- <= 0) return;
                if (!at.isBefore(to)) at = to.minusSeconds(1); // a session never runs past the end of the learner's activity
                row(out, ids.next(), user, verb, objectId, objectType, course, skill, score, success, completion, seconds, progress, at, at);
                written++;
            }
        }

        private static String course(UUID course) {
            return BASE + "courses/" + course;
        }

        private static String decimal(long unscaled, int scale) {
            return java.math.BigDecimal.valueOf(unscaled, scale).toPlainString();
        }
    }

    /** {@code total} split over {@code n} learners, log-normally skewed (a few very active learners), summing exactly to it. */
    private static long[] allocate(long total, int n, SplittableRandom random) {
        double[] weights = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) sum += weights[i] = Math.exp(1.1 * random.nextGaussian());
        long[] counts = new long[n];
        long assigned = 0;
        double carry = 0;
        for (int i = 0; i < n; i++) {
            double exact = total * weights[i] / sum + carry;
            long count = i == n - 1 ? total - assigned : (long) exact;
            counts[i] = Math.min(count, total - assigned);
            carry = exact - counts[i];
            assigned += counts[i];
        }
        return counts;
    }

    /** Time-ordered ids (version-7 layout): primary-key indexes fill front to back while loading. */
    private static final class IdSequence {
        private final long prefix;
        private long counter;

        IdSequence(int table) {
            this.prefix = (long) table << 40;
        }

        UUID next() {
            long value = counter++;
            return new UUID(((prefix + value) << 16) | 0x7000L, 0x8000_0000_0000_0000L | value);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    /** One transaction on its own connection, with settings for a bulk load. */
    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                execute(connection, "SET LOCAL search_path = " + AnalyticsDb.SCHEMA);
                execute(connection, "SET LOCAL ROLE " + SERVICE_ROLE);
                execute(connection, "SET LOCAL synchronous_commit = off"); // demo data: after a crash, generate again
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException | IOException e) {
            throw new AnalyticsDbException("Generating demo data failed: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL orders uuid bytewise (unsigned); java.util.UUID.compareTo is signed. */
    private static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static UUID uuid(SplittableRandom random) {
        long msb = random.nextLong() & 0xFFFF_FFFF_FFFF_0FFFL | 0x0000_0000_0000_4000L; // version 4
        long lsb = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(msb, lsb);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * COPY into a temporary table, then one INSERT ... SELECT into the real one: PostgreSQL
     * refuses COPY FROM into tables with row-level security for any role that is subject to
     * it, and the service role is (FORCE ROW LEVEL SECURITY).
     */
    private static Writer copy(Connection connection, String table, String columns) throws SQLException {
        String staging = "load_" + table;
        execute(connection, "CREATE TEMP TABLE " + staging + " (LIKE " + table + " INCLUDING DEFAULTS) ON COMMIT DROP");
        PGCopyOutputStream stream = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
                "COPY " + staging + " (" + columns + ") FROM STDIN", 1 << 16);
        long started = System.nanoTime();
        return new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16) {
            @Override
            public void close() throws IOException {
                super.close();
                try {
                    execute(connection, "INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + staging);
                    execute(connection, "DROP TABLE " + staging);
                } catch (SQLException e) {
                    throw new IOException(e);
                }
                LOG.info("Demo data: loaded {} in {} ms", table, (System.nanoTime() - started) / 1_000_000);
            }
        };
    }

    /** One line of COPY text format; our values never hold tabs, newlines or backslashes. */
    private static void row(Writer out, Object... values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.write('\t');
            out.write(values[i] == null ? "\\N" : values[i].toString());
        }
        out.write('\n');
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) values.add(rs.getString(1));
        }
        return values;
    }
}
