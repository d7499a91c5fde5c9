package org.learninganalytics.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * The open-model half of {@code scripts/bench http}, run by {@link HttpBenchmark} in a JVM of
 * its own: each endpoint at a constant arrival rate (new requests arrive on schedule whether
 * or not earlier ones have finished, so a slow response cannot hold back the next ones:
 * no coordinated omission), one endpoint after the other, each after a warm-up at the same
 * rate whose requests are reported under "warm-up ..." and ignored.
 * <p>
 * System properties (set by {@link HttpBenchmark}): {@code bench.http.url},
 * {@code bench.http.users} (CSV userId,token, shuffled: users are taken in turn, so none
 * repeats within the server's 5 s principal cache), {@code bench.http.serviceToken},
 * {@code bench.http.rate.awards|weekly|me} (requests/s; 0: skipped), {@code bench.http.seconds},
 * {@code bench.http.warmUpSeconds}.
 */
public final class HttpOpenModelSimulation extends Simulation {

    private static final AtomicLong KEYS = new AtomicLong();

    public HttpOpenModelSimulation() {
        String url = System.getProperty("bench.http.url");
        String serviceToken = System.getProperty("bench.http.serviceToken");
        int seconds = Integer.getInteger("bench.http.seconds", 15);
        int warmUp = Integer.getInteger("bench.http.warmUpSeconds", 5);
        String keyPrefix = "gatling-" + System.nanoTime() + "-";
        FeederBuilder<String> users = csv(System.getProperty("bench.http.users")).circular();

        HttpProtocolBuilder protocol = http.baseUrl(url)
                .shareConnections() // one pool, as a service's HTTP client would have; not a connection per virtual user
                .disableCaching() // no If-None-Match: every leaderboard request is a full read
                .disableWarmUp()
                .acceptHeader("application/json");

        List<Endpoint> endpoints = List.of(
                new Endpoint("awards", Double.parseDouble(System.getProperty("bench.http.rate.awards")), name -> http(name)
                        .post("/v1/awards")
                        .header("Authorization", "Bearer " + serviceToken)
                        .body(StringBody(session -> "{\"userId\":\"" + session.getString("userId")
                                + "\",\"activityType\":\"bench_activity\",\"idempotencyKey\":\"" + keyPrefix + KEYS.incrementAndGet() + "\"}"))
                        .asJson()
                        .check(status().is(201))),
                new Endpoint("weekly", Double.parseDouble(System.getProperty("bench.http.rate.weekly")), name -> http(name)
                        .get("/v1/leaderboards/weekly?limit=50")
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200))),
                new Endpoint("me-points", Double.parseDouble(System.getProperty("bench.http.rate.me")), name -> http(name)
                        .get("/v1/me/points")
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200))));

        // warm-up awards, awards, warm-up weekly, weekly, ... strictly one after the other
        List<ScenarioBuilder> scenarios = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Integer> durations = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.rate() <= 0) continue; // not measured in this run
            if (warmUp > 0) {
                scenarios.add(scenario("warm-up " + e.name()).feed(users).exec(e.request().create("warm-up " + e.name())));
                rates.add(e.rate());
                durations.add(warmUp);
            }
            scenarios.add(scenario(e.name()).feed(users).exec(e.request().create(e.name())));
            rates.add(e.rate());
            durations.add(seconds);
        }
        PopulationBuilder chain = null;
        for (int i = scenarios.size() - 1; i >= 0; i--) {
            PopulationBuilder step = scenarios.get(i).injectOpen(constantUsersPerSec(rates.get(i)).during(durations.get(i)));
            chain = chain == null ? step : step.andThen(chain);
        }
        setUp(chain).protocols(protocol);
    }

    @Override
    public void before() {
        System.out.println("[gatling] injection starts"); // HttpBenchmark times its CPU samples from this line
    }

    @Override
    public void after() {
        System.out.println("[gatling] injection ended");
    }

    private record Endpoint(String name, double rate, RequestFactory request) {
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequestActionBuilder create(String name);
    }
}
