package org.learninganalytics.db.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.learninganalytics.db.AnalyticsDb;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.ingestion.User;
import org.learninganalytics.db.testing.FreshDatabase;
import org.learninganalytics.db.testing.TestDatabase;

/** Principals and profiles come from the database, read as the user, whatever the caller claims. */
@FreshDatabase
class IdentitiesPgTest {

    private static TestDatabase database;
    private static AnalyticsDb db;

    @BeforeAll
    static void arrange(TestDatabase testDatabase) throws SQLException {
        database = testDatabase;
        TenancyFixture.arrange(database);
        db = database.analyticsDb();
    }

    @Test
    void a_principal_has_the_organization_and_every_role_of_the_database() {
        UUID both = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(both, "both@a.test", "Both", null, TenancyFixture.ORG_A,
                Set.of(Role.TRAINER, Role.ORG_ADMIN))));

        assertThat(db.principal(both)).contains(new Principal(both, TenancyFixture.ORG_A, Set.of(Role.TRAINER, Role.ORG_ADMIN)));
        assertThat(db.principal(TenancyFixture.LEARNER)).contains(new Principal(TenancyFixture.LEARNER, TenancyFixture.ORG_A, Set.of(Role.LEARNER)));
        assertThat(db.principal(TenancyFixture.PLATFORM_ADMIN)).as("no organization")
                .contains(new Principal(TenancyFixture.PLATFORM_ADMIN, null, Set.of(Role.PLATFORM_ADMIN)));
    }

    @Test
    void an_unknown_user_has_no_principal_and_a_user_without_roles_has_none() throws SQLException {
        assertThat(db.principal(UUID.randomUUID())).isEmpty();

        UUID roleless = UUID.randomUUID(); // ingestion wants a role; the identity service may still send a user before their roles
        try (var connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("INSERT INTO analytics.users (id, email, organization_id) VALUES ('%s', 'roleless@b.test', '%s')"
                    .formatted(roleless, TenancyFixture.ORG_B));
        }
        assertThat(db.principal(roleless)).contains(new Principal(roleless, TenancyFixture.ORG_B, Set.of()));
    }

    @Test
    void a_role_taken_away_is_gone_from_the_next_principal() {
        UUID demoted = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(demoted, "demoted@a.test", null, null, TenancyFixture.ORG_A, Set.of(Role.ORG_ADMIN))));
        assertThat(db.principal(demoted).orElseThrow().roles()).containsExactly(Role.ORG_ADMIN);

        db.system().ingestion().upsertUsers(List.of(new User(demoted, "demoted@a.test", null, null, TenancyFixture.ORG_B, Set.of(Role.LEARNER))));
        assertThat(db.principal(demoted)).contains(new Principal(demoted, TenancyFixture.ORG_B, Set.of(Role.LEARNER)));
    }

    @Test
    void the_profile_is_the_database_s_not_the_principal_s() {
        UUID ada = UUID.randomUUID();
        db.system().ingestion().upsertUsers(List.of(new User(ada, "ada@a.test", "Ada Lovelace", "https://img.test/ada.png",
                TenancyFixture.ORG_A, Set.of(Role.TRAINER, Role.LEARNER))));
        // The principal claims another organization and more roles: the profile does not believe it.
        UserProfile profile = db.as(new Principal(ada, TenancyFixture.ORG_B, Set.of(Role.ORG_ADMIN))).profile();

        assertThat(profile).isEqualTo(new UserProfile(ada, "Ada Lovelace", "ada@a.test", "https://img.test/ada.png", TenancyFixture.ORG_A,
                "Org A", Set.of(Role.LEARNER, Role.TRAINER)));
        assertThat(profile.roles()).as("in Role's order").containsExactly(Role.LEARNER, Role.TRAINER);
    }

    @Test
    void a_profile_without_organization_or_name_and_one_of_nobody() {
        assertThat(db.as(db.principal(TenancyFixture.PLATFORM_ADMIN).orElseThrow()).profile())
                .isEqualTo(new UserProfile(TenancyFixture.PLATFORM_ADMIN, null, "platform@admin.test", null, null, null,
                        Set.of(Role.PLATFORM_ADMIN)));
        assertThatThrownBy(() -> db.as(new Principal(UUID.randomUUID(), TenancyFixture.ORG_A, Set.of(Role.LEARNER))).profile())
                .isInstanceOfSatisfying(AnalyticsDbException.class, e -> assertThat(e.kind()).isEqualTo(AnalyticsDbException.Kind.NOT_VISIBLE));
    }
}
