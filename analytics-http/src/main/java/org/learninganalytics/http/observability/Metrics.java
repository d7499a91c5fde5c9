package org.learninganalytics.http.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.learninganalytics.db.jobs.JobOutcome;
import org.learninganalytics.db.jobs.JobRun;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's Prometheus metrics: requests by route template, method and status (with
 * latency histograms), awards by outcome, rejected tokens by reason, the jobs run on this
 * instance, the JVM, and (wired by the launcher) the HikariCP pools. Route templates, never raw paths, keep the series bounded.
 * Thread-safe.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The newest run on this instance of each job, read by its gauges. */
    private final Map<String, AtomicReference<JobRun>> lastJobRuns = new ConcurrentHashMap<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void request(String method, String route, int status, Duration took) {
        Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(100))
                .register(registry)
                .record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code outcome}: awarded, replayed, capped or rejected. */
    public void award(String outcome) {
        Counter.builder("analytics.awards").description("Awards by outcome").tag("outcome", outcome).register(registry).increment();
    }

    public void tokenRejected(String reason) {
        Counter.builder("analytics.auth.rejections").description("Rejected bearer tokens by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /**
     * A job's run on this instance (a {@code JobListener}): runs by outcome, and gauges of the
     * newest run's start (Unix seconds), duration (seconds) and outcome (1 for the newest
     * run's outcome, 0 for the others). Runs of other instances show in their own metrics
     * and in job_runs.
     */
    public void jobFinished(JobRun run) {
        Counter.builder("analytics.job.runs").description("Job runs on this instance by job, outcome and trigger")
                .tag("job", run.job()).tag("outcome", run.outcome().sqlName()).tag("trigger", run.trigger().sqlName())
                .register(registry).increment();
        lastJobRuns.computeIfAbsent(run.job(), this::registerJobGauges).set(run);
    }

    private AtomicReference<JobRun> registerJobGauges(String job) {
        AtomicReference<JobRun> last = new AtomicReference<>();
        Gauge.builder("analytics.job.last.start", last, ref -> ref.get() == null ? Double.NaN : ref.get().startedAt().toEpochMilli() / 1000.0)
                .description("Start of the job's newest run on this instance, Unix seconds").tag("job", job).baseUnit("seconds")
                .register(registry);
        Gauge.builder("analytics.job.last.duration", last, ref -> ref.get() == null ? Double.NaN : ref.get().duration().toNanos() / 1e9)
                .description("Duration of the job's newest run on this instance").tag("job", job).baseUnit("seconds").register(registry);
        for (JobOutcome outcome : JobOutcome.values()) {
            Gauge.builder("analytics.job.last.outcome", last, ref -> ref.get() != null && ref.get().outcome() == outcome ? 1 : 0)
                    .description("1 for the outcome of the job's newest run on this instance, 0 for the others")
                    .tag("job", job).tag("outcome", outcome.sqlName()).register(registry);
        }
        return last;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
