package org.learninganalytics.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty answers itself, before a request reaches Javalin (a malformed URI, a URI or
 * headers that are too long, a body over the limit), as problem+json instead of Jetty's
 * HTML page. The request has no id yet, so one is made here.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String id = UUID.randomUUID().toString();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.getHeaders().put(RequestIds.HEADER, id);
        response.write(true, ByteBuffer.wrap(body(code, id)), callback);
    }

    /** Bad messages from the HTTP parser (414, 431, a malformed request line): the body and headers of the answer. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = UUID.randomUUID().toString();
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE));
        fields.put(RequestIds.HEADER, id);
        return ByteBuffer.wrap(body(status, id));
    }

    private static byte[] body(int status, String id) {
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 400 -> "The request is malformed.";
            case 413 -> "The request body is larger than this server accepts.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request headers are too large.";
            default -> type.title() + ".";
        };
        Problem problem = new Problem(type.uri().toString(), type.title(), status, detail, id, null);
        return Json.write(problem).getBytes(StandardCharsets.UTF_8);
    }

}
