package org.learninganalytics.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.learninganalytics.db.tenancy.Principal;
import org.learninganalytics.db.tenancy.Role;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Every public method of every service, called while the database is away, fails with
 * {@link DatabaseUnavailableException} (or another {@link AnalyticsDbException} when it
 * refuses its arguments first): no jOOQ, Flyway, JDBC or pool exception reaches an embedder.
 * The services are found by reflection from {@link AnalyticsDb#as} and {@link AnalyticsDb#system},
 * so a new one is covered without editing this test.
 */
class EveryFailureIsTypedTest {

    @Test
    void every_service_method_fails_typed_when_the_database_is_away() throws Exception {
        try (HikariDataSource nowhere = new HikariDataSource()) {
            nowhere.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/analytics");
            nowhere.setInitializationFailTimeout(-1); // start without a database
            nowhere.setConnectionTimeout(250);
            try (AnalyticsDb db = AnalyticsDb.builder().dataSource(nowhere).build()) {
                Map<String, Object> services = new LinkedHashMap<>();
                collect(services, "as(learner)", db.as(new Principal(UUID.randomUUID(), UUID.randomUUID(), Set.of(Role.LEARNER))));
                collect(services, "system()", db.system());
                assertThat(services).as("services found").hasSizeGreaterThanOrEqualTo(7);

                List<String> untyped = new ArrayList<>();
                int called = 0;
                for (Map.Entry<String, Object> service : services.entrySet()) {
                    for (Method method : service.getValue().getClass().getDeclaredMethods()) {
                        if (!Modifier.isPublic(method.getModifiers()) || isAccessor(method)) continue;
                        called++;
                        Throwable failure = call(service.getValue(), method);
                        if (failure != null && !(failure instanceof AnalyticsDbException)) {
                            untyped.add(service.getKey() + "." + method.getName() + " threw " + failure);
                        }
                    }
                }
                assertThat(called).isGreaterThan(20);
                assertThat(untyped).isEmpty();
                assertThat(call(db, AnalyticsDb.class.getMethod("schemaVersion"))).isInstanceOf(AnalyticsDbException.class);
                for (String name : List.of("migrate", "migrateAndReport", "migrationInfo", "validateMigrations")) {
                    assertThat(call(db, AnalyticsDb.class.getMethod(name))).as(name).isInstanceOf(DatabaseUnavailableException.class);
                }
                assertThat(call(db, AnalyticsDb.class.getMethod("principal", UUID.class))).isInstanceOf(DatabaseUnavailableException.class);
                assertThat(call(db.as(new Principal(UUID.randomUUID(), null, Set.of())), UserSession.class.getMethod("profile")))
                        .isInstanceOf(DatabaseUnavailableException.class);
            }
        }
    }

    /** Services are what the sessions' public no-argument accessors return; groups are walked too. */
    private static void collect(Map<String, Object> services, String path, Object owner) throws Exception {
        for (Method accessor : owner.getClass().getDeclaredMethods()) {
            if (!isAccessor(accessor) || accessor.getName().equals("principal") || accessor.getName().equals("demoData")) continue;
            Object service = accessor.invoke(owner);
            String where = path + "." + accessor.getName() + "()";
            if (Modifier.isFinal(service.getClass().getModifiers()) && service.getClass().getDeclaredMethods().length > 0
                    && List.of(service.getClass().getDeclaredMethods()).stream().allMatch(EveryFailureIsTypedTest::isAccessorOrPrivate)) {
                collect(services, where, service); // a group such as gamification()
            } else {
                services.put(where, service);
            }
        }
    }

    private static boolean isAccessor(Method method) {
        return Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0
                && method.getReturnType().getPackageName().startsWith(ApiSurfaceTest.ROOT) && !method.getReturnType().isRecord()
                && !method.getReturnType().isEnum();
    }

    private static boolean isAccessorOrPrivate(Method method) {
        return isAccessor(method) || !Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers());
    }

    /** Calls the method with sample arguments; returns what it threw, or null. */
    private static Throwable call(Object target, Method method) {
        Object[] arguments = new Object[method.getParameterCount()];
        for (int i = 0; i < arguments.length; i++) arguments[i] = sample(method.getParameterTypes()[i]);
        try {
            method.invoke(target, arguments);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sample(Class<?> type) {
        if (type == UUID.class) return UUID.randomUUID();
        if (type == String.class) return "sample";
        if (type == int.class || type == Integer.class) return 10;
        if (type == long.class || type == Long.class) return 10L;
        if (type == boolean.class || type == Boolean.class) return false;
        if (type == BigDecimal.class) return BigDecimal.TEN;
        if (type == Duration.class) return Duration.ofMinutes(1);
        if (type == Instant.class) return Instant.now();
        if (type == List.class) return List.of();
        if (type == Set.class) return Set.of();
        if (type == Map.class) return Map.of();
        if (type.isEnum()) return type.getEnumConstants()[0];
        if (type == org.learninganalytics.db.jobs.JobListener.class) return (org.learninganalytics.db.jobs.JobListener) run -> { };
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(types[i]);
            }
            try {
                return type.getDeclaredConstructor(types).newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make a sample " + type.getSimpleName() + ": " + e.getCause(), e);
            }
        }
        throw new IllegalStateException("no sample for " + type);
    }
}
