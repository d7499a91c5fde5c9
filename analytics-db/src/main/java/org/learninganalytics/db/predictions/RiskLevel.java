package org.learninganalytics.db.predictions;

/** Drop-off risk levels: low below {@link DropOffRiskModel#MEDIUM_FROM}, high from {@link DropOffRiskModel#HIGH_FROM}. */
public enum RiskLevel {
    LOW, MEDIUM, HIGH
}
