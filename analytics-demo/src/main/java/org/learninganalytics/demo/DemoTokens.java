package org.learninganalytics.demo;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Demo mode's bearer tokens: a secret made for this run (when none is configured) and HS256
 * tokens, valid for a day, for a learner, a trainer and an org admin of one demo organization
 * and for the service, so that a newcomer can call the API at once. Demo only.
 */
final class DemoTokens {

    static final Duration VALIDITY = Duration.ofHours(24);

    private final String secret;
    private final String serviceRole;

    DemoTokens(String secret, String serviceRole) {
        this.secret = secret;
        this.serviceRole = serviceRole;
    }

    /** 48 random bytes, Base64: 64 characters, well over HS256's 32 bytes. */
    static String newSecret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String user(UUID userId) {
        return sign(Map.of("sub", userId.toString(), "role", "authenticated", "aud", "authenticated"));
    }

    String service() {
        return sign(Map.of("sub", "analytics-demo", "role", serviceRole));
    }

    private String sign(Map<String, Object> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issueTime(Date.from(now)).expirationTime(Date.from(now.plus(VALIDITY)));
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), builder.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token", e);
        }
        return jwt.serialize();
    }

    /**
     * A trainer with a course, one of its learners and an org admin, all of one organization,
     * by role (label → user id, in that order); empty when the database holds no such trio.
     */
    static Map<String, UUID> people(DataSource dataSource) throws SQLException {
        String sql = """
                WITH t AS (
                    SELECT c.trainer_id, c.organization_id, c.id AS course_id
                    FROM analytics.courses c
                    JOIN analytics.users tu ON tu.id = c.trainer_id AND tu.organization_id = c.organization_id
                    JOIN analytics.user_roles r ON r.user_id = c.trainer_id AND r.role = 'trainer'
                    WHERE EXISTS (SELECT FROM analytics.enrollments e WHERE e.course_id = c.id)
                    ORDER BY c.organization_id, c.id
                    LIMIT 1)
                SELECT
                    (SELECT e.user_id FROM analytics.enrollments e JOIN analytics.users u ON u.id = e.user_id
                     WHERE e.course_id = t.course_id AND u.organization_id = t.organization_id ORDER BY e.user_id LIMIT 1) AS learner,
                    t.trainer_id AS trainer,
                    (SELECT r.user_id FROM analytics.user_roles r JOIN analytics.users u ON u.id = r.user_id
                     WHERE r.role = 'org_admin' AND u.organization_id = t.organization_id ORDER BY r.user_id LIMIT 1) AS org_admin
                FROM t""";
        Map<String, UUID> people = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL ROLE analytics_service");
            try (ResultSet row = statement.executeQuery(sql)) {
                if (row.next()) {
                    put(people, "learner", row.getObject("learner", UUID.class));
                    put(people, "trainer", row.getObject("trainer", UUID.class));
                    put(people, "org admin", row.getObject("org_admin", UUID.class));
                }
            }
            connection.rollback();
        }
        return people;
    }

    private static void put(Map<String, UUID> people, String label, UUID id) {
        if (id != null) people.put(label, id);
    }
}
