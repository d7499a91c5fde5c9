package org.learninganalytics.db.predictions;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.learninganalytics.db.internal.JsonText;

/**
 * A drop-off risk as {@link DropOffRiskModel} assesses it.
 *
 * @param riskScore  0 to 1 (two decimals), the sum of the factors' contributions; null when insufficient
 * @param level      null when insufficient or when the confidence is below {@link DropOffRiskModel#MIN_CONFIDENCE}
 * @param confidence 0 to 1 (two decimals); null when insufficient
 * @param topFactors the factors that contribute most, largest first (at most {@link DropOffRiskModel#TOP_FACTORS})
 * @param missing    what the learner lacks when {@code status} is insufficient data, else empty
 */
public record DropOffRisk(PredictionStatus status, BigDecimal riskScore, RiskLevel level, BigDecimal confidence,
                          List<RiskFactor> factors, List<String> topFactors, List<String> missing) {

    public DropOffRisk {
        factors = List.copyOf(factors);
        topFactors = List.copyOf(topFactors);
        missing = List.copyOf(missing);
    }

    /** The stored JSON: {@code {status, riskScore, level, confidence, factors: [...], topFactors, missing?}}. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        json.put("riskScore", riskScore);
        json.put("level", level == null ? null : level.name().toLowerCase(java.util.Locale.ROOT));
        json.put("confidence", confidence);
        json.put("factors", factors.stream().map(f -> {
            Map<String, Object> factor = new LinkedHashMap<>();
            factor.put("factor", f.factor());
            factor.put("actual", f.actual());
            factor.put("expected", f.expected());
            factor.put("localRisk", f.localRisk());
            factor.put("weight", f.weight());
            factor.put("contribution", f.contribution());
            factor.put("hasData", f.hasData());
            factor.put("explanation", f.explanation());
            return factor;
        }).toList());
        json.put("topFactors", topFactors);
        if (!missing.isEmpty()) json.put("missing", missing);
        return JsonText.write(json);
    }
}
