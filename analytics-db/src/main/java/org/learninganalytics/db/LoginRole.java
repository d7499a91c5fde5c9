package org.learninganalytics.db;

/**
 * The role a connection logs in as ({@link AnalyticsDb#loginRole()}).
 *
 * @param name      the login's name
 * @param superuser whether it is a superuser
 * @param bypassRls whether it has BYPASSRLS
 */
public record LoginRole(String name, boolean superuser, boolean bypassRls) {

    /** Whether row-level security would not apply to it: the library's policies would be bypassed. */
    public boolean bypassesRowLevelSecurity() {
        return superuser || bypassRls;
    }
}
