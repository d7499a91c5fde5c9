package org.learninganalytics.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.learninganalytics.db.testing.PostgresServer;
import org.learninganalytics.db.testing.TestDatabase;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The HTTP server end to end at 200k users / 5M transactions: bearer token (HS256), Javalin,
 * library, PostgreSQL, in the server's own JVM started as in production
 * ({@code org.learninganalytics.http.Main serve --no-migrate}). For {@code POST /v1/awards},
 * {@code GET /v1/leaderboards/weekly?limit=50} and {@code GET /v1/me/points}:
 * <ol>
 *   <li><b>closed loop</b>: requests/s with 4 concurrent clients (wrk, 4 connections, one
 *       thread) against pgbench (4 clients, one thread) running the same SQL the library sends
 *       for that request, transaction for transaction and round trip for round trip, as the
 *       same login (bench/http/*.sql); alternated twice after a warm-up of each, best of two;
 *       goals: awards at least 0.6x, the reads at least 0.4x;</li>
 *   <li><b>open model</b>: latency p50/p99 at a constant arrival rate of half the measured
 *       maximum (Gatling, {@code constantUsersPerSec}); goal: p99 under 20 ms.</li>
 * </ol>
 * Before measuring, it checks that the pgbench scripts still mirror the library: it logs
 * (log_statement) one request of each kind through the server and one transaction of each
 * script, and compares the statements PostgreSQL received, parameters filled in.
 * <p>
 * The load generators (wrk, pgbench, Gatling) share the machine with the server and
 * PostgreSQL; they are pinned to one CPU ({@code bench.generatorCpus}, default the last) and
 * their CPU time is measured and printed next to each figure, with the server's and the
 * machine's. Gatling runs in a JVM of its own with a small heap and one active processor.
 * <p>
 * Run: {@code scripts/bench http} (needs pgbench, wrk, taskset; the PostgreSQL log readable for
 * the SQL check). Properties: {@code bench.seconds} (15) per measured run, {@code bench.warmUpSeconds}
 * (5), {@code bench.users} (50,000 tokens), {@code bench.generatorCpus}, {@code bench.checkSql}
 * (true), {@code bench.postgresLog}, {@code bench.serverJvmArgs}, {@code bench.gatlingJvmArgs}.
 */
public final class HttpBenchmark {

    private static final int CLIENTS = 4;
    private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmUpSeconds", 5);
    private static final int USERS = Integer.getInteger("bench.users", 50_000);
    private static final boolean CHECK_SQL = Boolean.parseBoolean(System.getProperty("bench.checkSql", "true"));
    private static final String GENERATOR_CPUS = System.getProperty("bench.generatorCpus", String.valueOf(CpuTimes.cpus() - 1));
    private static final String SERVER_JVM_ARGS = System.getProperty("bench.serverJvmArgs", "");
    private static final String GATLING_JVM_ARGS = System.getProperty("bench.gatlingJvmArgs",
            "-Xms256m -Xmx256m -XX:+UseSerialGC -XX:ActiveProcessorCount=1 -XX:TieredStopAtLevel=4");
    /** analytics-demo/target, found from this class (Maven runs benchmarks from the repository's root). */
    private static final Path TARGET = targetDirectory();
    private static final Path WORK = TARGET.resolve("bench-http");

    /** The measured endpoints: name, pgbench script, goal (fraction of pgbench). */
    enum Endpoint {
        AWARDS("awards", "POST /v1/awards", "award.sql", 0.6),
        WEEKLY("weekly", "GET /v1/leaderboards/weekly?limit=50", "weekly.sql", 0.4),
        ME_POINTS("me-points", "GET /v1/me/points", "me-points.sql", 0.4);

        final String id;
        final String label;
        final String script;
        final double goal;

        Endpoint(String id, String label, String script, double goal) {
            this.id = id;
            this.label = label;
            this.script = script;
            this.goal = goal;
        }
    }

    /** {@code -Dbench.endpoints=awards,weekly,me-points} (default all): a subset, for trying things out. */
    private static final List<Endpoint> ENDPOINTS = java.util.Arrays.stream(Endpoint.values())
            .filter(e -> List.of(System.getProperty("bench.endpoints", "awards,weekly,me-points").split(",")).contains(e.id)).toList();

    private HttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        requireTools();
        Files.createDirectories(WORK);
        PostgresServer server = BenchmarkDatabase.prepare();
        BenchmarkDatabase.removeEarlierRuns(server);
        int users = prepareUsers(server);
        String secret = randomSecret();
        Path tokens = mintTokens(server, secret, users);
        String serviceToken = mint(secret, new JWTClaimsSet.Builder().subject("bench").claim("role", "service_role"));
        Map<Endpoint, Path> scripts = writeScripts();
        System.out.printf(Locale.ROOT, "[bench] http: %d users, %d point transactions; %d clients; %d s runs after %d s warm-up;"
                        + " %d users with tokens; generators pinned to CPU %s of %d%n",
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.users"),
                BenchmarkDatabase.count(server, "SELECT count(*) FROM analytics.point_transactions"), CLIENTS, SECONDS, WARM_UP_SECONDS,
                users, GENERATOR_CPUS.isBlank() ? "(none: not pinned)" : GENERATOR_CPUS, CpuTimes.cpus());
        System.out.printf(Locale.ROOT, "[bench] machine before the run: %.0f%% busy (other work on it distorts every figure)%n",
                100 * busyShare(Duration.ofSeconds(2)));

        try {
            measure(server, secret, tokens, serviceToken, scripts, users);
        } finally {
            try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
                sql.execute("REVOKE USAGE ON SCHEMA analytics FROM " + TestDatabase.APP_USER);
            }
        }
    }

    private static void measure(PostgresServer server, String secret, Path tokens, String serviceToken, Map<Endpoint, Path> scripts,
                                int users) throws Exception {
        if (CHECK_SQL) checkSql(server, secret, tokens, serviceToken, scripts, users);
        Map<Endpoint, double[]> http = new LinkedHashMap<>();
        Map<Endpoint, double[]> pgbench = new LinkedHashMap<>();
        Map<Endpoint, Run> bestHttp = new LinkedHashMap<>();
        Map<Endpoint, Run> bestPgbench = new LinkedHashMap<>();
        Map<Endpoint, Double> rates = new LinkedHashMap<>();
        try (ServerProcess app = ServerProcess.start(server, secret, WORK.resolve("server.log"))) {
            for (Endpoint e : ENDPOINTS) {
                vacuum(server);
                wrk(app, e, tokens, serviceToken, WARM_UP_SECONDS); // JIT, pool, plans
                pgbench(server, scripts.get(e), users, WARM_UP_SECONDS, false);
                double[] h = new double[2];
                double[] p = new double[2];
                for (int round = 0; round < 2; round++) {
                    vacuum(server);
                    Run wrk = wrk(app, e, tokens, serviceToken, SECONDS);
                    vacuum(server);
                    Run pg = pgbench(server, scripts.get(e), users, SECONDS, false);
                    h[round] = wrk.perSecond();
                    p[round] = pg.perSecond();
                    if (bestHttp.get(e) == null || wrk.perSecond() > bestHttp.get(e).perSecond()) bestHttp.put(e, wrk);
                    if (bestPgbench.get(e) == null || pg.perSecond() > bestPgbench.get(e).perSecond()) bestPgbench.put(e, pg);
                }
                http.put(e, h);
                pgbench.put(e, p);
                rates.put(e, bestHttp.get(e).perSecond() / 2);
            }
            printClosedLoop(http, pgbench, bestHttp, bestPgbench);
            vacuum(server);
            printOpenModel(gatling(app, tokens, serviceToken, rates), rates);
        }
    }

    // ---------------------------------------------------------------- data and tokens

    /**
     * bench.http_users: the users that get tokens, numbered 1..N in a fixed pseudo-random
     * order (pgbench picks n at random; wrk and Gatling take them in turn), learners of an
     * organization, with the claims the library sends for them (request.jwt.claims, as
     * Transactions.claims formats them). The subject roles may read it: pgbench's scripts look
     * the user up inside the statement that takes the user id, where the library binds it.
     */
    private static int prepareUsers(PostgresServer server) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            sql.execute("INSERT INTO analytics.activity_rules (activity_type, points) VALUES ('bench_activity', 3) ON CONFLICT DO NOTHING");
            sql.execute("CREATE SCHEMA IF NOT EXISTS bench");
            sql.execute("DROP TABLE IF EXISTS bench.http_users");
            sql.execute("""
                    CREATE TABLE bench.http_users AS
                    SELECT row_number() OVER (ORDER BY md5(u.id::text))::int AS n, u.id AS user_id, u.organization_id,
                           '{"sub":"' || u.id || '","role":"analytics_authenticated","organization_id":"' || u.organization_id
                             || '","app_roles":[' || (SELECT string_agg('"' || r.role || '"', ',' ORDER BY '"' || r.role || '"' COLLATE "C")
                                                      FROM analytics.user_roles r WHERE r.user_id = u.id) || ']}' AS claims,
                           '{"sub":"' || u.id || '","role":"analytics_authenticated","app_roles":[]}' AS lookup_claims
                    FROM analytics.users u
                    WHERE u.organization_id IS NOT NULL
                      AND EXISTS (SELECT 1 FROM analytics.user_roles r WHERE r.user_id = u.id AND r.role = 'learner')
                      AND NOT EXISTS (SELECT 1 FROM analytics.user_roles r WHERE r.user_id = u.id AND r.role = 'platform_admin')
                    ORDER BY md5(u.id::text)
                    LIMIT %d""".formatted(USERS));
            sql.execute("CREATE UNIQUE INDEX ON bench.http_users (n)");
            sql.execute("ANALYZE bench.http_users");
            sql.execute("GRANT USAGE ON SCHEMA bench TO analytics_authenticated, analytics_service, " + TestDatabase.APP_USER);
            sql.execute("GRANT SELECT ON bench.http_users TO analytics_authenticated, analytics_service, " + TestDatabase.APP_USER);
            // pgbench -M prepared prepares every statement of a script when a connection first runs it, before
            // the script's SET ROLE, as the login; name resolution needs USAGE on the schema (privileges on the
            // tables and functions, and row-level security, are still those of the role at execution). The
            // library's driver prepares each statement after the role set-up, in the same round trip. Revoked at the end.
            sql.execute("GRANT USAGE ON SCHEMA analytics TO " + TestDatabase.APP_USER);
            // The boards hold what their last refresh added: give them this week's points.
            sql.execute("SELECT analytics.refresh_leaderboard('weekly')");
        }
        return (int) BenchmarkDatabase.count(server, "SELECT count(*) FROM bench.http_users");
    }

    private static String randomSecret() {
        byte[] bytes = new byte[36];
        ThreadLocalRandom.current().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); // 48 ASCII characters
    }

    /** users.csv: userId,token in the order of n; tokens valid for two hours. */
    private static Path mintTokens(PostgresServer server, String secret, int users) throws Exception {
        Path file = WORK.resolve("users.csv");
        StringBuilder csv = new StringBuilder("userId,token\n");
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT user_id FROM bench.http_users ORDER BY n")) {
            while (rs.next()) {
                String user = rs.getString(1);
                csv.append(user).append(',').append(mint(secret, new JWTClaimsSet.Builder().subject(user))).append('\n');
            }
        }
        Files.writeString(file, csv);
        return file;
    }

    private static String mint(String secret, JWTClaimsSet.Builder claims) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                claims.issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plus(Duration.ofHours(2)))).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static Map<Endpoint, Path> writeScripts() throws IOException {
        Map<Endpoint, Path> scripts = new LinkedHashMap<>();
        for (Endpoint e : ENDPOINTS) scripts.put(e, resource("bench/http/" + e.script));
        return scripts;
    }

    private static Path resource(String name) throws IOException {
        try (InputStream in = HttpBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            Path file = WORK.resolve(Path.of(name).getFileName());
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    // ---------------------------------------------------------------- the server

    /** The production server in a JVM of its own, on the benchmark database, as analytics_app. */
    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final int port;
        final HttpClient client = HttpClient.newHttpClient();

        private ServerProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static ServerProcess start(PostgresServer server, String secret, Path log) throws Exception {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(words(SERVER_JVM_ARGS));
            command.addAll(List.of("-cp", serverClasspath(), "org.learninganalytics.http.Main", "serve", "--no-migrate", "--port", String.valueOf(port)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("ANALYTICS_DB_URL", server.urlFor(BenchmarkDatabase.NAME));
            env.put("ANALYTICS_DB_USER", TestDatabase.APP_USER);
            String password = System.getenv(TestDatabase.APP_PASSWORD_VARIABLE);
            if (password != null) env.put("ANALYTICS_DB_PASSWORD", password);
            env.put("ANALYTICS_JWT_SECRET", secret);
            env.remove("ANALYTICS_DB_SERVICE_USER");
            ServerProcess app = new ServerProcess(builder.start(), port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (!app.process.isAlive()) throw new IllegalStateException("the server stopped; see " + log + ":\n" + tail(log));
                try {
                    if (app.get("/ready", null).statusCode() == 200) return app;
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    app.close();
                    throw new IllegalStateException("the server was not ready within 60 s; see " + log);
                }
                Thread.sleep(200);
            }
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        long pid() {
            return process.pid();
        }

        HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
            if (token != null) request.header("Authorization", "Bearer " + token);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the server's graceful stop
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    private static String serverClasspath() throws IOException {
        return TARGET.resolve("classes") + java.io.File.pathSeparator + Files.readString(TARGET.resolve("bench-runtime.classpath")).trim();
    }

    private static String testClasspath() throws IOException {
        return TARGET.resolve("test-classes") + java.io.File.pathSeparator + TARGET.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(TARGET.resolve("bench-test.classpath")).trim();
    }

    private static Path targetDirectory() {
        try {
            return Path.of(HttpBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---------------------------------------------------------------- closed loop: wrk and pgbench

    /** A generator run: operations, wall time, CPU of generator / server / machine (ticks). */
    record Run(long operations, double seconds, double generatorCpu, double serverCpu, double machineBusy, double machineTotal) {
        double perSecond() {
            return operations / seconds;
        }

        /** Shares of the whole machine (all CPUs) during the run. */
        String cpu(String generator) {
            if (machineTotal <= 0) return "";
            double wall = machineTotal;
            return String.format(Locale.ROOT, "%s %.0f%%, server JVM %.0f%%, PostgreSQL and the rest %.0f%%, idle %.0f%%", generator,
                    100 * generatorCpu / wall, 100 * serverCpu / wall,
                    100 * Math.max(0, machineBusy - generatorCpu - serverCpu) / wall, 100 * (1 - machineBusy / wall));
        }
    }

    private static Run wrk(ServerProcess app, Endpoint e, Path tokens, String serviceToken, int seconds) throws Exception {
        Path script = resource("bench/http/wrk.lua");
        int first = ThreadLocalRandom.current().nextInt(USERS); // no user repeats within 5 s of an earlier run
        String keys = "wrk-" + UUID.randomUUID() + "-";
        String command = pinned() + "wrk -t1 -c" + CLIENTS + " -d" + seconds + "s --timeout 10s -s " + script + " " + app.url()
                + " -- " + e.id + " " + tokens + " " + serviceToken + " " + keys + " " + first;
        Timed timed = timed(command, app.pid());
        Matcher m = Pattern.compile("\\[wrk] requests=(\\d+) duration_us=(\\d+) socket_errors=(\\d+) bad_status=(\\d+)").matcher(timed.output);
        if (!m.find()) throw new IllegalStateException("wrk printed no summary:\n" + timed.output);
        long requests = Long.parseLong(m.group(1));
        if (Long.parseLong(m.group(3)) > 0 || Long.parseLong(m.group(4)) > 0) {
            throw new IllegalStateException(e.label + ": wrk saw failed requests (see " + WORK.resolve("server.log") + "):\n" + timed.output);
        }
        return timed.run(requests, Long.parseLong(m.group(2)) / 1e6);
    }

    private static Run pgbench(PostgresServer server, Path script, int users, int seconds, boolean once) throws Exception {
        URI target = URI.create(server.adminUrl().substring("jdbc:".length()));
        String password = System.getenv(TestDatabase.APP_PASSWORD_VARIABLE);
        String command = (password == null ? "" : "PGPASSWORD=" + shellQuote(password) + " ") + pinned()
                + "pgbench -n -M prepared -j 1 -c " + (once ? 1 : CLIENTS) + (once ? " -t 1" : " -T " + seconds)
                + " -D users=" + users + " -f " + script + " -h " + target.getHost() + " -p " + (target.getPort() < 0 ? 5432 : target.getPort())
                + " -U " + TestDatabase.APP_USER + " " + BenchmarkDatabase.NAME;
        Timed timed = timed(command, 0);
        Matcher processed = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(timed.output);
        Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(timed.output);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(timed.output);
        if (timed.exit != 0 || !processed.find() || !tps.find() || failed.find() && Long.parseLong(failed.group(1)) > 0) {
            throw new IllegalStateException("pgbench failed:\n" + timed.output);
        }
        long transactions = Long.parseLong(processed.group(1));
        return timed.run(transactions, transactions / Double.parseDouble(tps.group(1)));
    }

    private static String pinned() {
        return GENERATOR_CPUS.isBlank() ? "" : "taskset -c " + GENERATOR_CPUS + " ";
    }

    /** A command's output and CPU: bash's {@code time} gives the generator's own user + system time. */
    private record Timed(String output, int exit, double generatorSeconds, CpuTimes before, CpuTimes after) {
        Run run(long operations, double seconds) {
            double ticks = CpuTimes.TICKS_PER_SECOND;
            return new Run(operations, seconds, generatorSeconds * ticks, after.process() - before.process(),
                    after.busy() - before.busy(), after.total() - before.total());
        }
    }

    private static Timed timed(String command, long serverPid) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "TIMEFORMAT='[cpu] %3U %3S'; time ( " + command + " )")
                .redirectErrorStream(true);
        CpuTimes before = CpuTimes.sample(serverPid);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        CpuTimes after = CpuTimes.sample(serverPid);
        Matcher cpu = Pattern.compile("\\[cpu] ([0-9.]+) ([0-9.]+)").matcher(output);
        double generator = cpu.find() ? Double.parseDouble(cpu.group(1)) + Double.parseDouble(cpu.group(2)) : 0;
        return new Timed(output, exit, generator, before, after);
    }

    private static void printClosedLoop(Map<Endpoint, double[]> http, Map<Endpoint, double[]> pgbench, Map<Endpoint, Run> bestHttp,
                                        Map<Endpoint, Run> bestPgbench) {
        System.out.println();
        System.out.printf(Locale.ROOT, "closed loop, %d clients, %d s runs  HTTP req/s (runs)     pgbench tps (runs)      ratio   goal%n", CLIENTS, SECONDS);
        for (Endpoint e : http.keySet()) {
            double[] h = http.get(e);
            double[] p = pgbench.get(e);
            double ratio = Math.max(h[0], h[1]) / Math.max(p[0], p[1]);
            System.out.printf(Locale.ROOT, "%-37s %6.0f (%.0f, %.0f)  %7.0f (%.0f, %.0f)   %.2fx  >= %.1fx %s%n", e.label,
                    Math.max(h[0], h[1]), h[0], h[1], Math.max(p[0], p[1]), p[0], p[1], ratio, e.goal, ratio >= e.goal ? "met" : "NOT MET");
        }
        System.out.println("CPU in the best runs, as shares of all " + CpuTimes.cpus() + " CPUs:");
        for (Endpoint e : http.keySet()) {
            System.out.printf(Locale.ROOT, "  %-35s HTTP: %s%n", e.label, bestHttp.get(e).cpu("wrk"));
            System.out.printf(Locale.ROOT, "  %-35s pgbench: %s%n", "", bestPgbench.get(e).cpu("pgbench"));
        }
    }

    // ---------------------------------------------------------------- open model: Gatling

    record Latency(long requests, long failed, double p50, double p99, double max, double generatorShare, double serverShare,
                   double machineBusyShare) {
    }

    private static Map<String, Latency> gatling(ServerProcess app, Path tokens, String serviceToken, Map<Endpoint, Double> rates)
            throws Exception {
        Path results = WORK.resolve("gatling");
        Files.createDirectories(results);
        List<String> command = new ArrayList<>();
        if (!GENERATOR_CPUS.isBlank()) command.addAll(List.of("taskset", "-c", GENERATOR_CPUS));
        command.add(javaBinary());
        command.addAll(words(GATLING_JVM_ARGS));
        command.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", // as Gatling's launchers
                "-Dgatling.data.enableAnalytics=false",
                "-Dbench.http.url=" + app.url(), "-Dbench.http.users=" + tokens, "-Dbench.http.serviceToken=" + serviceToken,
                "-Dbench.http.rate.awards=" + rates.getOrDefault(Endpoint.AWARDS, 0.0), "-Dbench.http.rate.weekly=" + rates.getOrDefault(Endpoint.WEEKLY, 0.0),
                "-Dbench.http.rate.me=" + rates.getOrDefault(Endpoint.ME_POINTS, 0.0), "-Dbench.http.seconds=" + SECONDS,
                "-Dbench.http.warmUpSeconds=" + WARM_UP_SECONDS,
                "-cp", testClasspath(), "io.gatling.app.Gatling",
                "-s", "org.learninganalytics.bench.HttpOpenModelSimulation", "-rf", results.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Path log = WORK.resolve("gatling.log");
        // CPU samples at the boundaries of the measured phases: [warm-up, measured] per endpoint, from the line the simulation prints
        List<CpuTimes> samples = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                        if (line.contains("[gatling] injection starts")) output.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        synchronized (output) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!output.toString().contains("[gatling] injection starts") && process.isAlive() && System.nanoTime() < deadline) {
                output.wait(500);
            }
        }
        long start = System.nanoTime();
        int n = ENDPOINTS.size();
        List<long[]> gatlingTicks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long from = start + TimeUnit.SECONDS.toNanos((long) i * (WARM_UP_SECONDS + SECONDS) + WARM_UP_SECONDS);
            sleepUntil(from);
            CpuTimes a = CpuTimes.sample(app.pid());
            long ga = CpuTimes.processTicks(process.pid());
            sleepUntil(from + TimeUnit.SECONDS.toNanos(SECONDS));
            CpuTimes b = CpuTimes.sample(app.pid());
            long gb = CpuTimes.processTicks(process.pid());
            samples.add(a);
            samples.add(b);
            gatlingTicks.add(new long[] {ga, gb});
        }
        if (!process.waitFor(SECONDS * 3L + 120, TimeUnit.SECONDS)) process.destroyForcibly();
        reader.join(5_000);
        Files.writeString(log, output);
        if (process.exitValue() != 0 && process.exitValue() != 2) { // 2: assertions failed (none defined)
            throw new IllegalStateException("Gatling failed (exit " + process.exitValue() + "); see " + log);
        }
        Map<String, Latency> latencies = readGatlingStats(results);
        Map<String, Latency> withCpu = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Endpoint e = ENDPOINTS.get(i);
            Latency l = latencies.get(e.id);
            if (l == null) throw new IllegalStateException("no Gatling statistics for " + e.id + "; see " + log);
            CpuTimes a = samples.get(2 * i);
            CpuTimes b = samples.get(2 * i + 1);
            double total = b.total() - a.total();
            long[] g = gatlingTicks.get(i);
            withCpu.put(e.id, new Latency(l.requests, l.failed, l.p50, l.p99, l.max,
                    total <= 0 ? 0 : (g[1] - g[0]) / total, total <= 0 ? 0 : (b.process() - a.process()) / total,
                    total <= 0 ? 0 : (b.busy() - a.busy()) / total));
        }
        return withCpu;
    }

    /**
     * Per-request statistics of the newest Gatling report: Gatling 3.15 writes them only into
     * its HTML pages (req_NAME--HASH.html), as rows of title, total, ok and ko cells.
     */
    private static Map<String, Latency> readGatlingStats(Path results) throws IOException {
        Path newest;
        try (var dirs = Files.list(results)) {
            newest = dirs.filter(Files::isDirectory).max(java.util.Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("Gatling wrote no report under " + results));
        }
        Pattern row = Pattern.compile("<td class=\"title\">([^<]+)</td>\\s*<td class=\"total\">([^<]*)</td>\\s*<td class=\"ok\">([^<]*)</td>"
                + "\\s*<td class=\"ko\">([^<]*)</td>");
        Map<String, Latency> byName = new LinkedHashMap<>();
        for (Endpoint e : ENDPOINTS) {
            Path page;
            try (var files = Files.list(newest)) {
                // req_NAME-HASH.html, the hash's sign making "--" or "-"
                Pattern name = Pattern.compile("req_" + Pattern.quote(e.id) + "--?\\d+\\.html");
                page = files.filter(f -> name.matcher(f.getFileName().toString()).matches()).findFirst().orElse(null);
            }
            if (page == null) continue;
            Map<String, String[]> cells = new LinkedHashMap<>();
            Matcher m = row.matcher(Files.readString(page));
            while (m.find()) cells.put(m.group(1).trim(), new String[] {m.group(2).trim(), m.group(3).trim(), m.group(4).trim()});
            byName.put(e.id, new Latency(number(cells, "Total count", 0), number(cells, "Total count", 2), number(cells, "50th percentile", 0),
                    number(cells, "99th percentile", 0), number(cells, "Max", 0), 0, 0, 0));
        }
        return byName;
    }

    private static long number(Map<String, String[]> cells, String title, int column) {
        String[] row = cells.get(title);
        if (row == null) throw new IllegalStateException("Gatling's report has no row '" + title + "'");
        String value = row[column].replace(",", "");
        return value.isEmpty() || value.equals("-") ? 0 : Math.round(Double.parseDouble(value));
    }

    private static void printOpenModel(Map<String, Latency> latencies, Map<Endpoint, Double> rates) {
        System.out.println();
        System.out.printf(Locale.ROOT, "open model (Gatling, constant arrival rate = half the HTTP maximum), %d s per endpoint after %d s warm-up%n",
                SECONDS, WARM_UP_SECONDS);
        System.out.println("endpoint                              rate/s  requests  failed  p50 ms  p99 ms  max ms  goal p99 < 20 ms");
        for (Endpoint e : ENDPOINTS) {
            Latency l = latencies.get(e.id);
            System.out.printf(Locale.ROOT, "%-37s %6.0f  %8d  %6d  %6.0f  %6.0f  %6.0f  %s%n", e.label, rates.get(e), l.requests, l.failed,
                    l.p50, l.p99, l.max, l.p99 < 20 && l.failed == 0 ? "met" : "NOT MET");
        }
        System.out.println("CPU while measuring, as shares of all " + CpuTimes.cpus() + " CPUs:");
        for (Endpoint e : ENDPOINTS) {
            Latency l = latencies.get(e.id);
            System.out.printf(Locale.ROOT, "  %-35s Gatling JVM %.0f%%, server JVM %.0f%%, PostgreSQL and the rest %.0f%%, idle %.0f%%%n", e.label,
                    100 * l.generatorShare, 100 * l.serverShare, 100 * Math.max(0, l.machineBusyShare - l.generatorShare - l.serverShare),
                    100 * (1 - l.machineBusyShare));
        }
    }

    // ---------------------------------------------------------------- the SQL check

    /**
     * Sends one request of each kind through a fresh server (so the principal is not cached)
     * and runs each pgbench script once, all as the user n = 1, with log_statement = 'all'
     * for analytics_app in the benchmark database; then compares the statements PostgreSQL
     * logged, parameters filled in. pgbench's look-ups of bench.http_users are replaced by the
     * values they return, idempotency keys (digits on both sides) by a placeholder.
     */
    private static void checkSql(PostgresServer server, String secret, Path tokens, String serviceToken, Map<Endpoint, Path> scripts,
                                 int users) throws Exception {
        Path log = postgresLog(server);
        if (log == null) {
            System.out.println("[bench] SQL check skipped: the PostgreSQL log is not readable (-Dbench.postgresLog=PATH, or -Dbench.checkSql=false)");
            return;
        }
        String[] first = Files.readAllLines(tokens).get(1).split(",", 2);
        Map<String, String> bench = new LinkedHashMap<>();
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT user_id, claims, lookup_claims FROM bench.http_users WHERE n = 1")) {
            rs.next();
            bench.put("user_id", rs.getString(1));
            bench.put("claims", rs.getString(2));
            bench.put("lookup_claims", rs.getString(3));
        }
        Map<Endpoint, List<String>> library = new LinkedHashMap<>();
        Map<Endpoint, List<String>> mirrored = new LinkedHashMap<>();
        setStatementLogging(server, true);
        try {
            for (Endpoint e : ENDPOINTS) {
                // a fresh server per request: its principal cache is empty, as in the measured runs
                try (ServerProcess app = ServerProcess.start(server, secret, WORK.resolve("server-check-" + e.name().toLowerCase(Locale.ROOT) + ".log"))) {
                    long offset = Files.size(log);
                    String key = String.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
                    HttpResponse<String> response = switch (e) {
                        case AWARDS -> app.post("/v1/awards", serviceToken,
                                "{\"userId\":\"" + first[0] + "\",\"activityType\":\"bench_activity\",\"idempotencyKey\":\"" + key + "\"}");
                        case WEEKLY -> app.get("/v1/leaderboards/weekly?limit=50", first[1]);
                        case ME_POINTS -> app.get("/v1/me/points", first[1]);
                    };
                    List<String> sent = loggedStatements(log, offset, bench);
                    if (response.statusCode() / 100 != 2) sent.add(0, "(the server answered " + response.statusCode() + ": " + response.body() + ")");
                    library.put(e, sent);
                }
            }
            for (Endpoint e : ENDPOINTS) {
                long offset = Files.size(log);
                pgbench(server, scripts.get(e), 1, 0, true);
                mirrored.put(e, loggedStatements(log, offset, bench));
            }
        } finally {
            setStatementLogging(server, false);
        }
        boolean same = true;
        StringBuilder report = new StringBuilder();
        for (Endpoint e : ENDPOINTS) {
            List<String> a = library.get(e);
            List<String> b = mirrored.get(e);
            if (a.equals(b)) {
                report.append(String.format(Locale.ROOT, "  %-37s %d statements, identical%n", e.label, a.size()));
            } else {
                same = false;
                report.append("  ").append(e.label).append(": DIFFERENT\n    the library sent:\n");
                a.forEach(s -> report.append("      ").append(s).append('\n'));
                report.append("    pgbench (").append(e.script).append(") sent:\n");
                b.forEach(s -> report.append("      ").append(s).append('\n'));
            }
        }
        Files.writeString(WORK.resolve("sql-check.txt"), report);
        System.out.print("[bench] SQL check: the statements PostgreSQL received per request, library through HTTP vs pgbench script\n" + report);
        if (!same) {
            throw new IllegalStateException("the pgbench scripts no longer mirror the library's SQL: update src/test/resources/bench/http/*.sql");
        }
    }

    private static void setStatementLogging(PostgresServer server, boolean on) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            sql.execute("ALTER ROLE " + TestDatabase.APP_USER + " IN DATABASE " + BenchmarkDatabase.NAME
                    + (on ? " SET log_statement = 'all'" : " RESET log_statement"));
        }
    }

    private static Path postgresLog(PostgresServer server) throws SQLException {
        String configured = System.getProperty("bench.postgresLog");
        if (configured != null) return Files.isReadable(Path.of(configured)) ? Path.of(configured) : null;
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT pg_current_logfile(), current_setting('data_directory'),"
                     + " current_setting('server_version_num')::int / 10000")) {
            rs.next();
            List<Path> candidates = new ArrayList<>();
            if (rs.getString(1) != null) candidates.add(Path.of(rs.getString(2)).resolve(rs.getString(1)));
            candidates.add(Path.of("/var/log/postgresql/postgresql-" + rs.getInt(3) + "-main.log")); // Debian, without the collector
            return candidates.stream().filter(Files::isReadable).findFirst().orElse(null);
        }
    }

    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*?\\b(LOG|DETAIL|ERROR|STATEMENT|WARNING|NOTICE):  (.*)$");
    private static final Pattern EXECUTE = Pattern.compile("^(?:execute [^:]+|statement): (.*)$", Pattern.DOTALL);
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+) = (NULL|'(?:[^']|'')*')");

    /**
     * The statements analytics_app sent to the benchmark database since {@code offset}, with
     * their parameters filled in and bench.http_users look-ups replaced by their values.
     */
    private static List<String> loggedStatements(Path log, long offset, Map<String, String> bench) throws Exception {
        Thread.sleep(300); // the log is written asynchronously to the request
        String marker = TestDatabase.APP_USER + "@" + BenchmarkDatabase.NAME + " ";
        List<String[]> entries = new ArrayList<>(); // {kind, text}
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(offset);
            byte[] bytes = new byte[(int) (file.length() - offset)];
            file.readFully(bytes);
            boolean ours = false;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
                Matcher m = LOG_LINE.matcher(line);
                if (m.matches()) {
                    ours = line.contains(marker);
                    if (ours) entries.add(new String[] {m.group(1), m.group(2)});
                } else if (ours && !entries.isEmpty() && !line.isEmpty()) { // a statement's continuation line
                    String[] last = entries.get(entries.size() - 1);
                    last[1] = last[1] + "\n" + line;
                }
            }
        }
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String[] entry = entries.get(i);
            if (!entry[0].equals("LOG")) continue;
            Matcher execute = EXECUTE.matcher(entry[1]);
            if (!execute.matches()) continue;
            String text = execute.group(1).strip();
            if (text.isEmpty()) continue; // the pool's isValid()
            if (i + 1 < entries.size() && entries.get(i + 1)[0].equals("DETAIL") && entries.get(i + 1)[1].startsWith("parameters: ")) {
                Map<String, String> values = new LinkedHashMap<>();
                Matcher p = PARAMETER.matcher(entries.get(i + 1)[1]);
                while (p.find()) values.put(p.group(1), p.group(2));
                text = Pattern.compile("\\$(\\d+)").matcher(text).replaceAll(r -> Matcher.quoteReplacement(values.getOrDefault(r.group(1), r.group())));
            }
            text = Pattern.compile("\\(SELECT (\\w+) FROM bench\\.http_users WHERE n = '?\\d+'?\\)").matcher(text)
                    .replaceAll(r -> Matcher.quoteReplacement("'" + bench.get(r.group(1)).replace("'", "''") + "'"));
            text = text.replaceAll("'\\d{1,19}'::text", "'<key>'::text"); // idempotency keys, digits on both sides
            statements.add(text.replaceAll("\\s+", " ").replaceFirst(";$", "")); // pgbench sends a command with its semicolon
        }
        return statements;
    }

    // ---------------------------------------------------------------- helpers

    private static void vacuum(PostgresServer server) throws SQLException {
        try (Connection admin = BenchmarkDatabase.adminConnection(server); Statement sql = admin.createStatement()) {
            // what autovacuum would have done by now (it is off on machines of this kind); awards churn these
            sql.execute("VACUUM ANALYZE analytics.user_points, analytics.daily_activity");
        }
    }

    private static double busyShare(Duration over) throws InterruptedException {
        CpuTimes a = CpuTimes.sample(0);
        Thread.sleep(over.toMillis());
        CpuTimes b = CpuTimes.sample(0);
        return b.total() == a.total() ? 0 : (double) (b.busy() - a.busy()) / (b.total() - a.total());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
    }

    private static void requireTools() throws Exception {
        for (String tool : List.of("pgbench", "wrk", "taskset")) {
            if (new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() != 0) {
                if (tool.equals("taskset") && GENERATOR_CPUS.isBlank()) continue;
                throw new IllegalStateException(tool + " is missing (Debian: apt-get install postgresql-client wrk util-linux)");
            }
        }
    }

    private static List<String> words(String args) {
        return args.isBlank() ? List.of() : List.of(args.trim().split("\\s+"));
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
