package org.learninganalytics.http.internal;

import java.util.UUID;

import io.javalin.http.Context;

/** Path and query parameters, checked: a bad one is a 400 that names it. */
public final class Params {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private Params() {
    }

    /**
     * A path parameter that must be a UUID. Not a UUID cannot name a user: the same 404 as an
     * invisible one would leak nothing, but a 400 tells an honest client its mistake.
     */
    public static UUID uuidPath(Context ctx, String name) {
        return uuid(ctx.pathParam(name), "/path/" + name, name);
    }

    public static UUID uuidQuery(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) return null;
        return uuid(value, "/query/" + name, name);
    }

    /** Only the canonical spelling: UUID.fromString also takes "1-1-1-1-1". */
    private static UUID uuid(String value, String pointer, String name) {
        try {
            UUID id = UUID.fromString(value);
            if (id.toString().equalsIgnoreCase(value)) return id;
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiException.invalid(pointer, name + " must be a UUID");
    }

    public static int limit(Context ctx) {
        return intQuery(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    public static int intQuery(Context ctx, String name, int defaultValue, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) return defaultValue;
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("/query/" + name, name + " must be a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw ApiException.invalid("/query/" + name, name + " must be from " + min + " to " + max);
        }
        return parsed;
    }

    public static boolean boolQuery(Context ctx, String name, boolean defaultValue) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) return defaultValue;
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalid("/query/" + name, name + " must be true or false");
        };
    }

    /** The opaque cursor, or null; its content is checked by the library. */
    public static String cursor(Context ctx) {
        String value = ctx.queryParam("cursor");
        if (value == null || value.isEmpty()) return null;
        if (value.length() > 512) throw ApiException.invalid("/query/cursor", "cursor is not one this server gave out");
        return value;
    }
}
