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
import java.util.List;
import java.util.Locale;
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
 * last days, and what derives from it (daily activity, totals, levels, streaks).
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
        Ledger ledger = new Ledger(scale, people.learners(), start, random.nextLong());
        CompletableFuture<Long> transactions;
        CompletableFuture<Long> dailyActivity;
        try (ExecutorService loaders = Executors.newFixedThreadPool(2)) {
            transactions = CompletableFuture.supplyAsync(
                    () -> inTransaction(connection -> ledger.write(connection)), loaders);
            dailyActivity = CompletableFuture.supplyAsync(
                    () -> inTransaction(connection -> ledger.writeDailyActivity(connection)), loaders);
            CompletableFuture.allOf(transactions, dailyActivity).join();
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
        return new DemoDataReport(scale.organizations(), people.users(), people.courses(), people.enrollments(),
                people.userSkills(), transactions.join(), dailyActivity.join(), Duration.ofNanos(System.nanoTime() - started));
    }

    private record People(int users, int courses, int enrollments, int userSkills, List<UUID> learners) {
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
        List<List<UUID>> coursesByOrg = new ArrayList<>();
        int courses = 0;
        try (Writer out = copy(connection, "courses", "id, name, description, organization_id, trainer_id, created_at")) {
            for (int o = 0; o < scale.organizations(); o++) {
                List<UUID> orgCourses = new ArrayList<>();
                List<UUID> trainers = trainersByOrg.get(o);
                for (int c = 0; c < Math.max(2, learnersPerOrg.get(o) / 25); c++) {
                    UUID id = ids.next();
                    String topic = COURSE_TOPICS[c % COURSE_TOPICS.length];
                    row(out, id, topic + (c < COURSE_TOPICS.length ? "" : " " + (c / COURSE_TOPICS.length + 1)),
                            "Self-paced course on " + topic, orgIds.get(o), trainers.get(random.nextInt(trainers.size())),
                            start.minus(Duration.ofDays(400)));
                    orgCourses.add(id);
                    courses++;
                }
                coursesByOrg.add(orgCourses);
            }
        }

        List<UUID> learners = new ArrayList<>();
        for (Person p : persons) if (p.role().equals("learner")) learners.add(p.id());
        int enrollments = 0;
        try (Writer out = copy(connection, "enrollments", "id, user_id, course_id, enrolled_at, completed_at, progress_percent")) {
            for (Person p : persons) {
                if (!p.role().equals("learner")) continue;
                List<UUID> orgCourses = coursesByOrg.get(p.org());
                int first = random.nextInt(orgCourses.size());
                int count = Math.min(orgCourses.size(), 1 + random.nextInt(3));
                for (int k = 0; k < count; k++) {
                    Instant enrolled = start.plus(Duration.ofHours(random.nextLong(Duration.between(start, end).toHours())));
                    int progress = random.nextInt(5) == 0 ? 100 : random.nextInt(100);
                    Instant completed = progress < 100 ? null : min(enrolled.plus(Duration.ofDays(random.nextInt(1, 30))), end.minusSeconds(1));
                    row(out, ids.next(), p.id(), orgCourses.get((first + k) % orgCourses.size()), enrolled, completed, progress);
                    enrollments++;
                }
            }
        }

        List<String> skillIds = strings(connection, "SELECT id FROM skills ORDER BY id");
        int userSkills = 0;
        try (Writer out = copy(connection, "user_skills", "id, user_id, skill_id, mastery_level, last_assessed_at")) {
            for (UUID learner : learners) {
                int first = random.nextInt(skillIds.size());
                int count = Math.min(skillIds.size(), 2 + random.nextInt(5));
                for (int k = 0; k < count; k++) {
                    double mastery = Math.max(0, Math.min(100, 55 + 22 * random.nextGaussian()));
                    row(out, ids.next(), learner, skillIds.get((first + k) % skillIds.size()),
                            String.format(Locale.ROOT, "%.2f", mastery),
                            start.plus(Duration.ofMinutes(random.nextLong(Duration.between(start, end).toMinutes()))));
                    userSkills++;
                }
            }
        }
        return new People(persons.size(), courses, enrollments, userSkills, learners);
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
        private final long windowSeconds;

        Ledger(DemoScale scale, List<UUID> learners, Instant start, long seed) {
            this.learners = learners;
            this.seed = seed;
            this.start = start;
            this.windowSeconds = scale.days() * 86_400L;
            SplittableRandom random = new SplittableRandom(seed);
            double[] weights = new double[learners.size()];
            double sum = 0;
            for (int i = 0; i < weights.length; i++) sum += weights[i] = Math.exp(1.1 * random.nextGaussian());
            counts = new long[learners.size()];
            long assigned = 0;
            double carry = 0;
            for (int i = 0; i < weights.length; i++) {
                double exact = scale.pointTransactions() * weights[i] / sum + carry;
                long count = i == weights.length - 1 ? scale.pointTransactions() - assigned : (long) exact;
                counts[i] = Math.min(count, scale.pointTransactions() - assigned);
                carry = exact - counts[i];
                assigned += counts[i];
            }
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
                visitor.accept(activity, start.plusSeconds(random.nextLong(windowSeconds)));
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
