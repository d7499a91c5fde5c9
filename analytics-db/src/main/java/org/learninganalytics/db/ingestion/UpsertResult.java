package org.learninganalytics.db.ingestion;

/**
 * What one bulk upsert did. Replaying a batch that was already applied gives
 * {@code inserted == 0 && updated == 0}: unchanged rows are not rewritten.
 */
public record UpsertResult(int inserted, int updated, int unchanged) {

    public int total() {
        return inserted + updated + unchanged;
    }

    UpsertResult plus(UpsertResult other) {
        return new UpsertResult(inserted + other.inserted, updated + other.updated, unchanged + other.unchanged);
    }
}
