package org.learninganalytics.db.predictions;

import java.util.Arrays;

/**
 * ROC AUC of a risk score against known outcomes (ANALYTICS.md "Validating the risk model"):
 * the probability that a randomly chosen positive (a learner who dropped off) scores above a
 * randomly chosen negative, ties counting one half (Mann-Whitney U with mid-ranks). Pure.
 */
public final class RocAuc {

    private RocAuc() {
    }

    /**
     * @throws IllegalArgumentException when the arrays differ in length or either class is empty
     */
    public static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) throw new IllegalArgumentException("scores and outcomes differ in length");
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double midRank = (start + end) / 2.0 + 1; // ranks from 1
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += midRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) throw new IllegalArgumentException("need at least one positive and one negative");
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }
}
