package org.learninganalytics.http.internal;

import java.util.List;

/** A body that is a whole, unpaged list: {@code {"items": [...]}}. */
public record Items<T>(List<T> items) {
}
