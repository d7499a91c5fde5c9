package org.learninganalytics.http.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.javalin.http.Context;

/** HTTP dates (RFC 9110) and the cache headers of answers the library computed and cached. */
public final class HttpDates {

    private HttpDates() {
    }

    public static String format(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** {@code Cache-Control: private, max-age}, {@code Last-Modified} and {@code Expires} of a cached answer. */
    public static void cached(Context ctx, Instant calculatedAt, Instant expiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        ctx.header("Cache-Control", "private, max-age=" + maxAge);
        ctx.header("Last-Modified", format(calculatedAt));
        ctx.header("Expires", format(expiresAt));
    }
}
