package org.learninganalytics.db.analytics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Time to live of each analytic: a cached result is served until it expires, then the next
 * read computes a new one. Defaults: {@link AnalyticType#defaultTtl()} (velocity 6 h, skill
 * gaps 12 h, engagement 1 h, mastery 12 h, performance 6 h, content effectiveness 24 h).
 *
 * @param ttls one per type, each from {@link #MIN} to {@link #MAX}
 */
public record AnalyticsTtls(Map<AnalyticType, Duration> ttls) {

    /** The shortest TTL the database accepts (a shorter one would let readers grow a learner's history at will). */
    public static final Duration MIN = Duration.ofMinutes(1);
    /** The longest TTL the database accepts: the seed keeps personal analytics "hot" 7 days, and the cache serves nothing older. */
    public static final Duration MAX = Duration.ofDays(7);

    public AnalyticsTtls {
        Objects.requireNonNull(ttls, "ttls");
        EnumMap<AnalyticType, Duration> copy = new EnumMap<>(AnalyticType.class);
        for (AnalyticType type : AnalyticType.values()) {
            Duration ttl = ttls.get(type);
            if (ttl == null) throw new IllegalArgumentException("no TTL for " + type);
            if (ttl.compareTo(MIN) < 0 || ttl.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("the TTL of " + type + " must be from 1 minute to 7 days, got " + ttl);
            }
            copy.put(type, ttl);
        }
        ttls = Map.copyOf(copy);
    }

    /** Every type at its default. */
    public static AnalyticsTtls defaults() {
        EnumMap<AnalyticType, Duration> ttls = new EnumMap<>(AnalyticType.class);
        for (AnalyticType type : AnalyticType.values()) ttls.put(type, type.defaultTtl());
        return new AnalyticsTtls(ttls);
    }

    /** These TTLs with {@code type}'s set to {@code ttl}. */
    public AnalyticsTtls with(AnalyticType type, Duration ttl) {
        EnumMap<AnalyticType, Duration> changed = new EnumMap<>(ttls);
        changed.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(ttl, "ttl"));
        return new AnalyticsTtls(changed);
    }

    public Duration of(AnalyticType type) {
        return ttls.get(type);
    }

    /** As PostgreSQL interval text, in seconds. */
    String sqlInterval(AnalyticType type) {
        return of(type).toSeconds() + " seconds";
    }
}
