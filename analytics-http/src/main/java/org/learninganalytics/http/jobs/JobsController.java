package org.learninganalytics.http.jobs;

import java.time.Instant;

import org.learninganalytics.db.jobs.JobRun;
import org.learninganalytics.db.jobs.JobStatus;
import org.learninganalytics.db.jobs.Jobs;
import org.learninganalytics.db.jobs.UnknownJobException;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Items;
import org.learninganalytics.http.internal.ProblemType;

import io.javalin.http.Context;

/** Service routes of the jobs: their status, and running one now (on the request's thread). */
public final class JobsController {

    private final Callers callers;

    public JobsController(Callers callers) {
        this.callers = callers;
    }

    /** A job's run; durations in milliseconds, outcome and trigger in lower case. */
    record RunJson(String job, String instance, String trigger, Instant startedAt, long durationMs, String outcome, String error) {
        static RunJson of(JobRun run) {
            return run == null ? null : new RunJson(run.job(), run.instance(), run.trigger().sqlName(), run.startedAt(),
                    run.duration().toMillis(), run.outcome().sqlName(), run.error());
        }
    }

    record JobJson(String name, String schedule, Instant nextRunAt, RunJson lastRun) {
        static JobJson of(JobStatus status) {
            return new JobJson(status.name(), status.schedule(), status.nextRun(), RunJson.of(status.lastRun()));
        }
    }

    /** GET /v1/admin/jobs */
    public void list(Context ctx) {
        ctx.json(new Items<>(jobs(ctx).list().stream().map(JobJson::of).toList()));
    }

    /** POST /v1/admin/jobs/{name}/run: 200 with the run, whatever its outcome; 404 unknown; 409 running already. */
    public void run(Context ctx) {
        String name = ctx.pathParam("name");
        JobRun run;
        try {
            run = jobs(ctx).run(name);
        } catch (UnknownJobException e) {
            throw new ApiException(ProblemType.NOT_FOUND, e.getMessage());
        }
        ctx.json(RunJson.of(run));
    }

    private Jobs jobs(Context ctx) {
        return callers.system(ctx).jobs();
    }
}
