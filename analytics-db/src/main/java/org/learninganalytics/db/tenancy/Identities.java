package org.learninganalytics.db.tenancy;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;
import static org.learninganalytics.db.generated.Tables.ORGANIZATIONS;
import static org.learninganalytics.db.generated.Tables.USERS;
import static org.learninganalytics.db.generated.Tables.USER_ROLES;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.Record6;
import org.jooq.Result;
import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.internal.Transactions;

/**
 * Who a user is, from the database: what {@code AnalyticsDb.principal(...)} and
 * {@code UserSession.profile()} answer. Reads run as that user under row-level security,
 * which lets every user read their own users and user_roles rows. Thread-safe.
 */
public final class Identities {

    // A fixed statement text: the look-up is one round trip with the identity set-up
    // (Transactions.asUserQuery), as a server makes it for every request.
    private static final String PRINCIPAL = "SELECT u.organization_id, r.role FROM " + SCHEMA + ".users u"
            + " LEFT JOIN " + SCHEMA + ".user_roles r ON r.user_id = u.id WHERE u.id = ?";

    private final Transactions transactions;

    Identities(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * The principal of {@code userId} (e.g. a verified token's subject): organization and roles
     * as the database has them, nothing taken from the caller but the id. Read as that user, so
     * nobody learns more through it than the user could read themselves.
     *
     * @return empty when no such user exists
     */
    public Optional<Principal> principal(UUID userId) {
        Principal bare = new Principal(userId, null, Set.of()); // the RLS subject role; policies key on the id only
        return transactions.asUserQuery(bare, PRINCIPAL, (query, first) -> query.setObject(first, userId), rows -> {
            if (!rows.next()) return Optional.empty();
            UUID organization = rows.getObject(1, UUID.class);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            do {
                String role = rows.getString(2);
                if (role != null) roles.add(Role.fromSqlName(role)); // user_roles' CHECK allows only Role's values
            } while (rows.next());
            return Optional.of(new Principal(userId, organization, roles));
        }, Transactions.ErrorTranslator.NONE);
    }

    /**
     * The profile of {@code caller}, read as the caller.
     *
     * @throws AnalyticsDbException {@link AnalyticsDbException.Kind#NOT_VISIBLE} when the caller is not (or no longer) a user
     */
    public UserProfile profile(Principal caller) {
        Result<Record6<String, String, String, UUID, String, String>> rows = transactions.asUser(caller, ctx -> ctx
                .select(USERS.FULL_NAME, USERS.EMAIL, USERS.AVATAR_URL, USERS.ORGANIZATION_ID, ORGANIZATIONS.NAME, USER_ROLES.ROLE)
                .from(USERS)
                .leftJoin(ORGANIZATIONS).on(ORGANIZATIONS.ID.eq(USERS.ORGANIZATION_ID))
                .leftJoin(USER_ROLES).on(USER_ROLES.USER_ID.eq(USERS.ID))
                .where(USERS.ID.eq(caller.userId()))
                .fetch());
        if (rows.isEmpty()) throw new AnalyticsDbException(AnalyticsDbException.Kind.NOT_VISIBLE, "the caller is not a known user", null);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        rows.forEach(r -> {
            if (r.value6() != null) roles.add(Role.fromSqlName(r.value6()));
        });
        var first = rows.getFirst();
        return new UserProfile(caller.userId(), first.value1(), first.value2(), first.value3(), first.value4(), first.value5(), roles);
    }
}
