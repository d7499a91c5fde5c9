package org.learninganalytics.db.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keyset cursors, opaque to clients: the sort key of a page's last row, as text parts joined
 * by {@code :} in URL-safe Base64. The parts are each service's to choose and to check; a
 * cursor is a position, never an authorization, so a forged one can only move within what
 * the caller may see. Not API.
 */
public final class Cursors {

    private Cursors() {
    }

    /** The cursor of these parts; none of them may contain {@code :}. */
    public static String encode(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            String value = String.valueOf(part);
            if (value.indexOf(':') >= 0) throw new IllegalArgumentException("a cursor part contains ':': " + value);
            if (!text.isEmpty()) text.append(':');
            text.append(value);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The parts of {@code cursor}.
     *
     * @throws IllegalArgumentException when it is not Base64 or has not exactly {@code count} parts
     */
    public static String[] decode(String cursor, int count) {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", -1);
        if (parts.length != count) throw new IllegalArgumentException("a cursor of " + parts.length + " parts, not " + count);
        return parts;
    }
}
