package org.learninganalytics.db.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must stop before an {@code AnalyticsDb} closes its pools (the job schedulers): they
 * register here and {@code close()} stops them first, so no scheduler polls a closed pool.
 * Thread-safe. Not API.
 */
public final class Shutdowns {

    private static final Logger LOG = LoggerFactory.getLogger(Shutdowns.class);

    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();

    public void register(AutoCloseable closeable) {
        open.add(closeable);
    }

    public void unregister(AutoCloseable closeable) {
        open.remove(closeable);
    }

    /** Closes everything registered; a failure is logged, the rest still close. */
    public void closeAll() {
        List<AutoCloseable> all = new ArrayList<>(open);
        for (AutoCloseable closeable : all) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Cannot stop {}: {}", closeable, e.toString());
            }
            open.remove(closeable);
        }
    }
}
