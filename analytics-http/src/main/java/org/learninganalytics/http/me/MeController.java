package org.learninganalytics.http.me;

import java.util.List;
import java.util.UUID;

import org.learninganalytics.db.UserSession;
import org.learninganalytics.db.tenancy.Role;
import org.learninganalytics.db.tenancy.UserProfile;
import org.learninganalytics.http.internal.Callers;
import org.learninganalytics.http.points.PointsJson;
import org.learninganalytics.http.preferences.PreferencesJson;

import io.javalin.http.Context;

/** GET /v1/me: who the caller is, from the database, with their points and preferences. */
public final class MeController {

    private final Callers callers;

    public MeController(Callers callers) {
        this.callers = callers;
    }

    record OrganizationJson(UUID id, String name) {
    }

    record MeJson(UUID id, String fullName, String email, String avatarUrl, OrganizationJson organization, List<Role> roles,
                  PointsJson points, PreferencesJson preferences) {
    }

    public void me(Context ctx) {
        UserSession session = callers.user(ctx);
        UserProfile profile = session.profile();
        PointsJson points = session.points().summary(profile.userId()).map(PointsJson::of).orElse(null);
        PreferencesJson preferences = PreferencesJson.of(session.preferences().mine());
        ctx.json(new MeJson(profile.userId(), profile.fullName(), profile.email(), profile.avatarUrl(),
                profile.organizationId() == null ? null : new OrganizationJson(profile.organizationId(), profile.organizationName()),
                profile.roles().stream().sorted().toList(), points, preferences));
    }
}
