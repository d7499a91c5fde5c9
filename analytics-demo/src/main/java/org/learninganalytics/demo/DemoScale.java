package org.learninganalytics.demo;

/**
 * How much demo data to make. The same scale, seed and anchor day always give the same rows.
 *
 * @param organizations     tenants
 * @param users             users across all tenants (about 4% trainers, one admin per tenant)
 * @param pointTransactions ledger rows, spread over the last {@code days} days
 * @param days              how far back activity goes
 * @param seed              random seed
 * @param learningEvents    learning events, over the last {@code min(days, 90)} days (the events' retention)
 */
public record DemoScale(int organizations, int users, long pointTransactions, int days, long seed, long learningEvents) {

    public DemoScale {
        if (organizations < 1) throw new IllegalArgumentException("organizations must be at least 1");
        if (users < organizations * 3) throw new IllegalArgumentException("users must be at least 3 per organization");
        if (pointTransactions < 0) throw new IllegalArgumentException("pointTransactions must not be negative");
        if (days < 1) throw new IllegalArgumentException("days must be at least 1");
        if (learningEvents < 0) throw new IllegalArgumentException("learningEvents must not be negative");
    }

    /** A few tenants with a few hundred users: what the server's demo mode loads. */
    public static DemoScale demo() {
        return new DemoScale(3, 600, 60_000, 90, 42, 40_000);
    }

    /** The benchmark scale: 200,000 users, 5 million point transactions and 10 million learning events over 90 days. */
    public static DemoScale benchmark() {
        return new DemoScale(50, 200_000, 5_000_000, 90, 42, 10_000_000);
    }
}
