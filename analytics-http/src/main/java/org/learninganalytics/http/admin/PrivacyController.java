package org.learninganalytics.http.admin;

import java.util.UUID;

import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.internal.Params;

import io.javalin.http.Context;

/**
 * A learner's right to be forgotten and of access, on the system path: erase a user and
 * export everything stored about them. An unknown user is 404.
 */
public final class PrivacyController {

    private final Callers callers;

    public PrivacyController(Callers callers) {
        this.callers = callers;
    }

    /** The receipt as the library returns it: it holds no personal data. */
    public void erase(Context ctx) {
        UUID userId = Params.uuidPath(ctx, "userId");
        ctx.json(callers.system(ctx).privacy().erase(userId));
    }

    /** The export is JSON built by the database; passed through as it is, and never cached on the way. */
    public void export(Context ctx) {
        UUID userId = Params.uuidPath(ctx, "userId");
        String document = callers.system(ctx).privacy().export(userId);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result(document);
    }
}
