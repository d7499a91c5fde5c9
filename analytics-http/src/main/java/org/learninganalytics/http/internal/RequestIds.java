package org.learninganalytics.http.internal;

import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.MDC;

import io.javalin.http.Context;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a sane token (so a
 * gateway's id follows the request), else a new UUID. It is sent back on the response, is the
 * {@code instance} of every problem, and is in the MDC for every log line of the request.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    private static final String ATTRIBUTE = "analytics.requestId";
    /** Short and plain: an id from outside must not forge log lines or smuggle markup. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** The first handler of every request. */
    public static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) { // an error before the first handler ran
            assign(ctx);
            id = ctx.attribute(ATTRIBUTE);
        }
        return id;
    }

    /** After the access log line: the thread serves other requests next. */
    public static void clear() {
        MDC.remove(MDC_KEY);
    }
}
