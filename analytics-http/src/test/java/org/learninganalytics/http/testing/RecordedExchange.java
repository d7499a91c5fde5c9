package org.learninganalytics.http.testing;

import java.util.List;
import java.util.Map;

/** One request and its response, as a test sent and received them. */
public record RecordedExchange(String method, String pathAndQuery, Map<String, String> requestHeaders, String requestBody,
                               int status, Map<String, List<String>> responseHeaders, String responseBody) {
}
