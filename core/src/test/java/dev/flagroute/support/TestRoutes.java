package dev.flagroute.support;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.HashMap;
import java.util.Map;

/**
 * The routes most tests use, and an in-memory provider deciding them: {@code checkout} (reviews
 * v1/v2, default v1) is v2 for targeting keys starting with "beta" or plan "pro"; {@code search}
 * (search off/on, default off) is statically on.
 */
public final class TestRoutes {
  public static final String SECRET = "wj6HZ4gIILkCllauH3jgeqzMVhdybdd2-test-secret";

  public static final FlagRoute CHECKOUT = FlagRoute.builder("checkout")
      .service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build();
  public static final FlagRoute SEARCH = FlagRoute.builder("search")
      .service("search").variant("off", "v1").variant("on", "v2").defaultVariant("off").build();
  public static final FlagRoutes ROUTES = FlagRoutes.of(CHECKOUT, SEARCH);

  private TestRoutes() {}

  public static Flag<String> checkoutFlag() {
    return Flag.<String>builder()
        .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
        .contextEvaluator((flag, ctx) -> isBeta(ctx) ? "v2" : null)
        .build();
  }

  public static Flag<String> searchFlag() {
    return Flag.<String>builder().variant("off", "off").variant("on", "on").defaultVariant("on").build();
  }

  /** A provider deciding both routing flags as described above. */
  public static InMemoryProvider provider() {
    Map<String, Flag<?>> flags = new HashMap<>();
    flags.put("checkout", checkoutFlag());
    flags.put("search", searchFlag());
    return new InMemoryProvider(flags);
  }

  private static boolean isBeta(EvaluationContext ctx) {
    String key = ctx.getTargetingKey();
    Value plan = ctx.getValue("plan");
    return key != null && key.startsWith("beta") || plan != null && "pro".equals(plan.asString());
  }
}
