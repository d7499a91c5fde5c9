package org.learninganalytics.db.testing;

import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** JUnit extension behind {@link FreshDatabase}: one database per test class. */
public final class FreshDatabaseExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshDatabaseExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ExtensionContext classContext = classContext(extensionContext);
        // Stored in the class-level store: JUnit closes it (dropping the database) after the class.
        return classContext.getStore(NAMESPACE).computeIfAbsent(TestDatabase.class, key -> create(classContext), TestDatabase.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static TestDatabase create(ExtensionContext classContext) {
        PostgresServer server = PostgresServers.get();
        String simpleName = classContext.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
        String name = "analytics_test_" + simpleName.substring(0, Math.min(simpleName.length(), 30))
                + "_" + UUID.randomUUID().toString().substring(0, 8);
        TemplateDatabase.copyTo(server, name);
        return new TestDatabase(server, name);
    }
}
