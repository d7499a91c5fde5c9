package org.learninganalytics.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in one line why a connection to PostgreSQL failed: what the server said, and when
 * whatever listens there is not PostgreSQL at all, what it answered instead.
 */
public final class ConnectionFailures {

    private static final Pattern FIRST_HOST = Pattern.compile("^jdbc:postgresql://(\\[[^\\]]+\\]|[^:/?,]+)(?::(\\d+))?");
    /** PostgreSQL's SSLRequest: what a client sends first (as pgjdbc does with sslmode=prefer). */
    private static final byte[] SSL_REQUEST = ByteBuffer.allocate(8).putInt(8).putInt(80877103).array();
    private static final int PROBE_TIMEOUT_MILLIS = 2000;

    private ConnectionFailures() {
    }

    /** Why connecting to {@code jdbcUrl} failed with {@code failure}, in one line for the log. */
    public static String describe(Throwable failure, String jdbcUrl) {
        SQLException sql = find(failure, SQLException.class);
        if (sql == null) return rootMessage(failure);
        boolean protocolError = "08P01".equals(sql.getSQLState()) || find(sql, EOFException.class) != null;
        if (protocolError) {
            String address = address(jdbcUrl);
            if (address != null) return address + " does not answer as PostgreSQL: " + probe(address);
        }
        String message = sql.getMessage();
        Throwable cause = sql.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return message;
    }

    /** host:port of the first host in a PostgreSQL JDBC URL, or null. */
    static String address(String jdbcUrl) {
        Matcher matcher = FIRST_HOST.matcher(jdbcUrl == null ? "" : jdbcUrl);
        if (!matcher.find()) return null;
        return matcher.group(1) + ":" + (matcher.group(2) == null ? "5432" : matcher.group(2));
    }

    /** What answers at {@code address} when spoken to as PostgreSQL, for the message. */
    private static String probe(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(SSL_REQUEST);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[80];
            int read = in.read(answer);
            if (read <= 0) return "it closed the connection without answering";
            return "it answered \"" + printable(answer, read) + "\"";
        } catch (IOException e) {
            return "it did not answer the PostgreSQL handshake (" + e.getMessage() + ")";
        }
    }

    private static String printable(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf('\n');
        if (lineEnd >= 0) text = text.substring(0, lineEnd);
        return text.strip().replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) return type.cast(cause);
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
