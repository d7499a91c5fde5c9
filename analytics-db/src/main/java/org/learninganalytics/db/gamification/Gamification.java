package org.learninganalytics.db.gamification;

import org.learninganalytics.db.internal.Transactions;

/**
 * Gamification on the service path ({@code db.system().gamification()}): awards for activity
 * other services report, the rules (points, caps, level curve, achievements) and ledger
 * replay. Thread-safe.
 */
public final class Gamification {

    private final Awards awards;
    private final GamificationRules rules;
    private final LedgerReplay ledgerReplay;

    Gamification(Transactions transactions) {
        this.awards = new Awards(transactions);
        this.rules = new GamificationRules(transactions);
        this.ledgerReplay = new LedgerReplay(transactions);
    }

    /** Awards points for activity reported by other services. */
    public Awards awards() {
        return awards;
    }

    /** Points and caps per activity type, the level curve and the achievement catalogue. */
    public GamificationRules rules() {
        return rules;
    }

    /** Recomputes totals, levels and streaks from the ledger, with a dry run. */
    public LedgerReplay ledgerReplay() {
        return ledgerReplay;
    }
}
