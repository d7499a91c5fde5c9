package org.learninganalytics.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The library's public surface, checked over the built classes so that it stays as
 * ARCHITECTURE.md describes it: embedders cannot construct services, the generated and
 * internal packages, Flyway's and db-scheduler's types never appear in a public signature (the migration
 * API speaks in the library's own records), and every exception the library
 * declares is an {@link AnalyticsDbException}. (That no other exception escapes at run time
 * is {@code EveryFailureIsTypedTest}'s part.)
 */
class ApiSurfaceTest {

    static final String ROOT = "org.learninganalytics.db";

    /** Every public class of the API packages (not generated, not internal). */
    static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(AnalyticsDb.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> api = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(".class", "").replace('/', '.').replace('\\', '.');
                if (!name.startsWith(ROOT + ".") || isHidden(name)) continue;
                Class<?> type = Class.forName(name, false, AnalyticsDb.class.getClassLoader());
                if (isPublicApi(type)) api.add(type);
            }
        }
        return api;
    }

    private static boolean isHidden(String name) {
        return name.startsWith(ROOT + ".generated.") || name.contains(".internal.");
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) return false;
        }
        return !type.isSynthetic() && !type.isAnonymousClass();
    }

    @Test
    void the_api_packages_are_found() throws Exception {
        assertThat(apiClasses()).contains(AnalyticsDb.class, UserSession.class, SystemSession.class,
                org.learninganalytics.db.gamification.Awards.class, org.learninganalytics.db.ingestion.Ingestion.class,
                SchemaStatus.class, Migration.class, Migration.State.class, MigrationInfo.class, MigrationRun.class,
                MigrationValidation.class, MigrationValidation.Problem.class,
                org.learninganalytics.db.gamification.Achievements.class, org.learninganalytics.db.tenancy.Identities.class,
                org.learninganalytics.db.jobs.Jobs.class, org.learninganalytics.db.jobs.JobScheduler.class);
    }

    @Test
    void embedders_cannot_construct_services() throws Exception {
        List<String> constructible = new ArrayList<>();
        for (Class<?> type : apiClasses()) {
            if (type.isRecord() || type.isEnum() || type.isInterface() || Throwable.class.isAssignableFrom(type)) continue;
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(constructor.getModifiers()) || Modifier.isProtected(constructor.getModifiers())) {
                    constructible.add(constructor.toGenericString());
                }
            }
            if (!Modifier.isFinal(type.getModifiers())) constructible.add(type.getName() + " is not final");
        }
        assertThat(constructible).isEmpty();
    }

    @Test
    void no_public_signature_mentions_generated_internal_flyway_or_db_scheduler_types() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiClasses()) {
            check(leaks, type.getName() + " extends", type.getGenericSuperclass());
            for (Type implemented : type.getGenericInterfaces()) check(leaks, type.getName() + " implements", implemented);
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) check(leaks, field.toGenericString(), field.getGenericType());
            }
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            executables.addAll(List.of(type.getDeclaredMethods()));
            for (Executable executable : executables) {
                if (!visible(executable.getModifiers()) || executable.isSynthetic()) continue;
                String where = executable.toGenericString();
                if (executable instanceof Method method) check(leaks, where, method.getGenericReturnType());
                for (Type parameter : executable.getGenericParameterTypes()) check(leaks, where, parameter);
                for (Type thrown : executable.getGenericExceptionTypes()) check(leaks, where, thrown);
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void every_exception_of_the_api_is_an_analytics_db_exception() throws Exception {
        List<String> others = new ArrayList<>();
        for (Class<?> type : apiClasses()) {
            if (Throwable.class.isAssignableFrom(type) && !AnalyticsDbException.class.isAssignableFrom(type)) others.add(type.getName());
            for (Method method : type.getDeclaredMethods()) {
                if (!visible(method.getModifiers())) continue;
                for (Class<?> thrown : method.getExceptionTypes()) {
                    if (!AnalyticsDbException.class.isAssignableFrom(thrown)) others.add(method.toGenericString());
                }
            }
        }
        assertThat(others).isEmpty();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, String where, Type type) {
        if (type == null) return;
        switch (type) {
            case Class<?> c -> {
                Class<?> element = c;
                while (element.isArray()) element = element.getComponentType();
                if (isHidden(element.getName()) || element.getName().startsWith("org.flywaydb.")
                        || element.getName().startsWith("com.github.kagkarlsson.")) {
                    leaks.add(where + " -> " + element.getName());
                }
            }
            case ParameterizedType p -> {
                check(leaks, where, p.getRawType());
                for (Type argument : p.getActualTypeArguments()) check(leaks, where, argument);
            }
            case GenericArrayType a -> check(leaks, where, a.getGenericComponentType());
            case WildcardType w -> {
                for (Type bound : w.getUpperBounds()) check(leaks, where, bound);
                for (Type bound : w.getLowerBounds()) check(leaks, where, bound);
            }
            case TypeVariable<?> v -> { // raw bounds only: a bound may refer to the variable itself
                for (Type bound : v.getBounds()) {
                    check(leaks, where, bound instanceof ParameterizedType p ? p.getRawType() : bound);
                }
            }
            default -> throw new IllegalStateException("unexpected type " + type);
        }
    }
}
