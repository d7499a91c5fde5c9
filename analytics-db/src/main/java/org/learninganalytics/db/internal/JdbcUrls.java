package org.learninganalytics.db.internal;

import java.util.regex.Pattern;

/** JDBC URL helpers. Not API. */
public final class JdbcUrls {

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private JdbcUrls() {
    }

    /** The URL with any password replaced by {@code ***}, safe for logs and error messages. */
    public static String maskPassword(String jdbcUrl) {
        if (jdbcUrl == null) return null;
        String masked = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }
}
