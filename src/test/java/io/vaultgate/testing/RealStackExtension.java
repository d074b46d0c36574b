package io.vaultgate.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each {@link RealParts} test class its {@link RealStack}: prepared before the class
 * (servers started once per JVM), its database dropped after it unless the environment
 * variable {@code VAULTGATE_KEEP_TEST_DB} is set. Test methods and constructors may also
 * declare a {@code RealStack} parameter.
 *
 * <p>{@code @Nested} classes share their enclosing class's stack.
 */
public final class RealStackExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        RealStack.forClass(context.getRequiredTestClass());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        if (RealStack.ownerOf(testClass) != testClass) {
            return; // a @Nested class: its enclosing class cleans up
        }
        RealStack.release(testClass, System.getenv("VAULTGATE_KEEP_TEST_DB") == null);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RealStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return RealStack.forClass(context.getRequiredTestClass());
    }
}
