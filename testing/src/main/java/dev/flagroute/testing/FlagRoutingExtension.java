package dev.flagroute.testing;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.context.Source;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

/**
 * A JUnit 5 extension that runs each test with the flags it declares and leaves no flag state
 * behind. {@link WithRoute}, {@link WithRoutesFile} and {@link WithVariant} register it; register it
 * with {@code @ExtendWith(FlagRoutingExtension.class)} to get only the clean-up.
 *
 * <ul>
 *   <li>Routes come from {@link WithRoutesFile} and {@link WithRoute} on enclosing classes, the test
 *       class and the test method; a more specific declaration replaces a route of the same flag,
 *       and a variant set for it further out.
 *   <li>The test and its {@code @BeforeEach}/{@code @AfterEach} methods run with a {@link FlagContext}
 *       current that holds the {@link WithVariant} variants (source {@link Source#OVERRIDE}, reason
 *       {@link #TEST_REASON}) and every other flag's default; {@code @BeforeAll}/{@code @AfterAll}
 *       methods see the class-level one. The test body has it current on whichever thread runs it.
 *   <li>Test, {@code @BeforeEach} and {@code @AfterEach} methods can take the test's {@link FlagRoutes}
 *       and {@link FlagContext} as parameters; constructors and {@code @BeforeAll} methods the class's.
 *   <li>After each test and each class, the scope is closed; a {@code FlagScope} the test left open
 *       fails it and is cleared. OpenFeature's transaction context is cleared before and after.
 * </ul>
 *
 * <pre>{@code
 * @WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2"}, defaultVariant = "v1")
 * class CheckoutTest {
 *   @Test
 *   @WithVariant(flag = "checkout", variant = "v2")
 *   void carriesTheCanary(FlagContext flags) {
 *     assertEquals("v2", flags.variant("checkout")); // and flags == FlagContext.current()
 *   }
 * }
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagRoutingExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, InvocationInterceptor, ParameterResolver {
  /** The reason of decisions set by {@link WithVariant}. */
  public static final String TEST_REASON = "TEST";

  private static final Namespace NAMESPACE = Namespace.create(FlagRoutingExtension.class);
  private static final String INSTALLED = "installed";

  /** Created by JUnit. */
  public FlagRoutingExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    install(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    uninstall(context, "a @BeforeAll or @AfterAll method");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    install(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    uninstall(context, "the test or its @BeforeEach or @AfterEach method");
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    proceedWithFlags(invocation, extensionContext);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
    proceedWithFlags(invocation, extensionContext);
  }

  @Override
  public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
      ExtensionContext extensionContext) throws Throwable {
    proceedWithFlags(invocation, extensionContext);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == FlagRoutes.class || type == FlagContext.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Installed installed = extensionContext.getStore(NAMESPACE).get(INSTALLED, Installed.class);
    Declarations.Declared declared = installed != null ? installed.declared() : Declarations.read(extensionContext);
    return parameterContext.getParameter().getType() == FlagRoutes.class ? declared.routes() : declared.flags();
  }

  private static void install(ExtensionContext extensionContext) {
    clearTransactionContext();
    Declarations.Declared declared = Declarations.read(extensionContext);
    extensionContext.getStore(NAMESPACE).put(INSTALLED, new Installed(declared, declared.flags().makeCurrent()));
  }

  private static void uninstall(ExtensionContext extensionContext, String culprit) {
    try {
      Installed installed = extensionContext.getStore(NAMESPACE).remove(INSTALLED, Installed.class);
      if (installed != null) {
        FlagContext left = FlagContext.current();
        installed.scope().close();
        failIfLeaked(left, installed.declared().flags(), culprit);
      }
    } finally {
      clearTransactionContext();
    }
  }

  /** Runs the invocation with the test's context current, also when it runs on another thread. */
  private static void proceedWithFlags(Invocation<Void> invocation, ExtensionContext extensionContext)
      throws Throwable {
    Installed installed = extensionContext.getStore(NAMESPACE).get(INSTALLED, Installed.class);
    if (installed == null || FlagContext.current() == installed.declared().flags()) {
      invocation.proceed();
      return;
    }
    FlagScope scope = installed.declared().flags().makeCurrent();
    FlagContext left;
    try {
      invocation.proceed();
    } finally {
      left = FlagContext.current();
      scope.close();
      clearTransactionContext();
    }
    failIfLeaked(left, installed.declared().flags(), "the test");
  }

  private static void failIfLeaked(FlagContext left, FlagContext expected, String culprit) {
    if (left != expected) {
      throw new AssertionFailedError(culprit + " left " + left + " current on thread '"
          + Thread.currentThread().getName() + "' instead of " + expected
          + ": a FlagScope was not closed (open scopes with try-with-resources). It has been cleared.");
    }
  }

  private static void clearTransactionContext() {
    OpenFeatureAPI.getInstance().getTransactionContextPropagator().setTransactionContext(null);
  }

  /** What {@link #install} set up; deliberately not AutoCloseable, so that only this class closes the scope. */
  private record Installed(Declarations.Declared declared, FlagScope scope) {}
}
