package org.learninganalytics.http.xapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.learninganalytics.db.ingestion.IngestionRejectedException;
import org.learninganalytics.db.ingestion.LearningEvent;
import org.learninganalytics.http.ingest.IngestController;
import org.learninganalytics.http.internal.ApiException;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Json;
import org.learninganalytics.http.internal.Problem.FieldError;
import org.learninganalytics.http.internal.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * POST /xapi/statements: the Statement Resource of an xAPI 1.0.3 LRS, for producers that
 * already speak xAPI. A single statement or an array of up to 10,000, stored as learning
 * events on the system path, all or nothing; 200 with the statement ids, as xAPI says.
 */
public final class XapiController {

    public static final String VERSION_HEADER = "X-Experience-API-Version";
    /** What we answer in {@link #VERSION_HEADER}. */
    public static final String VERSION = "1.0.3";
    private static final Pattern ACCEPTED_VERSION = Pattern.compile("1\\.0(\\.\\d+)?");

    private final Callers callers;

    public XapiController(Callers callers) {
        this.callers = callers;
    }

    public void statements(Context ctx) {
        ctx.header(VERSION_HEADER, VERSION);
        String version = ctx.header(VERSION_HEADER);
        if (version == null || !ACCEPTED_VERSION.matcher(version.trim()).matches()) {
            throw new ApiException(ProblemType.BAD_REQUEST, "The header " + VERSION_HEADER + ": 1.0.x is required (this LRS speaks xAPI "
                    + VERSION + ").");
        }
        JsonNode body = Json.readTree(ctx, "application/json");
        boolean array = body.isArray();
        if (!array && !body.isObject()) throw ApiException.invalid("", "a statement (an object) or an array of statements is required");
        if (array && body.size() > IngestController.MAX_ITEMS) {
            throw ApiException.invalid("", "at most " + IngestController.MAX_ITEMS + " statements per request, got " + body.size());
        }
        Instant now = Instant.now();
        List<LearningEvent> events = new ArrayList<>();
        if (array) {
            for (int i = 0; i < body.size(); i++) events.add(XapiStatements.event(body.get(i), "/" + i, now));
        } else {
            events.add(XapiStatements.event(body, "", now));
        }
        try {
            callers.system(ctx).ingestion().upsertLearningEvents(events);
        } catch (IngestionRejectedException rejected) {
            String pointer = array ? "/" + rejected.index() : "";
            throw new ApiException(ProblemType.INGESTION_REJECTED, "Statement " + (array ? rejected.index() + " " : "") + "("
                    + rejected.key() + "): " + rejected.reason() + ". Nothing of this request was stored.",
                    List.of(new FieldError(pointer, rejected.key() + ": " + rejected.reason())), Map.of());
        }
        ctx.json(events.stream().map(e -> e.eventId().toString()).toList());
    }
}
