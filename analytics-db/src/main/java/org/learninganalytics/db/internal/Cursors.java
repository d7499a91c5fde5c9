package org.learninganalytics.db.internal;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

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

    /**
     * A position in a list sorted by (time, id), newest first: the ledger, learning events. The
     * instant in microseconds, as PostgreSQL keeps it.
     */
    public record TimeAndId(Instant at, UUID id) {

        /** The instants PostgreSQL and Java both read; a cursor beyond them is forged. */
        private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
        private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

        public String encode() {
            return Cursors.encode(ChronoUnit.MICROS.between(Instant.EPOCH, at), id);
        }

        /**
         * @throws IllegalArgumentException when the cursor is not one of these (not Base64, not numbers, out of range)
         */
        public static TimeAndId decode(String cursor) {
            try {
                String[] parts = Cursors.decode(cursor, 2);
                Instant at = Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS);
                if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) throw new IllegalArgumentException("out of range");
                return new TimeAndId(at, UUID.fromString(parts[1]));
            } catch (ArithmeticException | DateTimeException e) {
                throw new IllegalArgumentException("malformed cursor", e);
            }
        }
    }
}
