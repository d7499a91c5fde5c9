package org.learninganalytics.db.tenancy;

import static org.learninganalytics.db.AnalyticsDb.SCHEMA;
import static org.learninganalytics.db.generated.Tables.CURRENT_PRINCIPAL;
import static org.learninganalytics.db.generated.Tables.ORGANIZATIONS;
import static org.learninganalytics.db.generated.Tables.USERS;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.learninganalytics.db.AnalyticsDbException;
import org.learninganalytics.db.internal.Transactions;

/**
 * Who a user is, from the database: what {@code AnalyticsDb.principal(...)} and
 * {@code UserSession.profile()} answer. Reads run as that user, who sees no more than their
 * own rows through them. Thread-safe.
 */
public final class Identities {

    // A fixed statement text: the look-up is one round trip with the identity set-up
    // (Transactions.asUserQuery), as a server makes it for every request. current_principal()
    // (R__200) reads the caller's own users and user_roles rows without the RLS policies'
    // visible_user_ids(), which costs an org admin of a large organization milliseconds per table.
    private static final String PRINCIPAL = "SELECT organization_id, roles FROM " + SCHEMA + ".current_principal()";

    private final Transactions transactions;

    Identities(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * The principal of {@code userId} (e.g. a verified token's subject): organization and roles
     * as the database has them, nothing taken from the caller but the id.
     *
     * @return empty when no such user exists
     */
    public Optional<Principal> principal(UUID userId) {
        Principal bare = new Principal(userId, null, Set.of()); // the RLS subject role, with the id as the claims' sub
        return transactions.asUserQuery(bare, PRINCIPAL, (query, first) -> { }, rows -> {
            if (!rows.next()) return Optional.empty();
            return Optional.of(new Principal(userId, rows.getObject(1, UUID.class), roles((String[]) rows.getArray(2).getArray())));
        }, Transactions.ErrorTranslator.NONE);
    }

    /**
     * The profile of {@code caller}, read as the caller: their users row and organization
     * under row-level security, their roles from the database (never from {@code caller}).
     *
     * @throws AnalyticsDbException {@link AnalyticsDbException.Kind#NOT_VISIBLE} when the caller is not (or no longer) a user
     */
    public UserProfile profile(Principal caller) {
        return transactions.asUser(caller, ctx -> ctx
                        .select(USERS.FULL_NAME, USERS.EMAIL, USERS.AVATAR_URL, USERS.ORGANIZATION_ID, ORGANIZATIONS.NAME,
                                CURRENT_PRINCIPAL.ROLES)
                        .from(USERS)
                        .crossJoin(CURRENT_PRINCIPAL.call())
                        .leftJoin(ORGANIZATIONS).on(ORGANIZATIONS.ID.eq(USERS.ORGANIZATION_ID))
                        .where(USERS.ID.eq(caller.userId()))
                        .fetchOptional(r -> new UserProfile(caller.userId(), r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                                roles(r.value6()))))
                .orElseThrow(() -> new AnalyticsDbException(AnalyticsDbException.Kind.NOT_VISIBLE, "the caller is not a known user", null));
    }

    /** user_roles' CHECK allows only {@link Role}'s values. */
    private static Set<Role> roles(String[] names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) roles.add(Role.fromSqlName(name));
        return roles;
    }
}
