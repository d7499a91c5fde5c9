package org.learninganalytics.db.predictions;

/** Whether a prediction says something. */
public enum PredictionStatus {
    /** A prediction with confidence of at least {@link DropOffRiskModel#MIN_CONFIDENCE} (or none defined). */
    OK,
    /** Computed and stored, but its confidence is below {@link DropOffRiskModel#MIN_CONFIDENCE}: no level or dates are shown. */
    NOT_ENOUGH_DATA_YET,
    /** The learner lacks what the model needs ({@code data.missing} says what). */
    INSUFFICIENT_DATA
}
