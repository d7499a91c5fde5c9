package org.learninganalytics.db.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates the library's services. Their constructors are package-private, so that embedders
 * cannot construct them (they get them from {@code AnalyticsDb}); Java has no "friend"
 * packages, so the sessions reach those constructors here, in one place. Not API.
 */
public final class Services {

    /** Looked up once per type: user sessions are created per request. */
    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            Constructor<?>[] constructors = type.getDeclaredConstructors();
            if (constructors.length != 1) throw new IllegalStateException(type + " must have exactly one constructor");
            constructors[0].setAccessible(true);
            return constructors[0];
        }
    };

    private Services() {
    }

    /** A new {@code type} from its one constructor, with {@code arguments} in order. */
    public static <T> T create(Class<T> type, Object... arguments) {
        try {
            return type.cast(CONSTRUCTORS.get(type).newInstance(arguments));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException("cannot create " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getSimpleName(), e);
        }
    }
}
