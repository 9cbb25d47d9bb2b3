package dev.flagroute.servlet;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;

/**
 * Two routing flags whose variants follow from the user: {@code checkout} is {@code v2} for even
 * user numbers, {@code search} is {@code on} for users on plan {@code pro}, sent by users whose
 * number is a multiple of 3.
 */
final class TestFlags {
  static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("search").service("search").variant("off", "stable").variant("on", "canary")
          .defaultVariant("off").build());

  static final String ROUTES_YAML = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants: {v1: v1, v2: v2}
        - flag: search
          service: search
          default: "off"
          variants: {"off": stable, "on": canary}
      """;

  private TestFlags() {}

  /** A fresh provider deciding both flags per user (one provider per OpenFeature API). */
  static InMemoryProvider provider() {
    return new InMemoryProvider(Map.of(
        "checkout", Flag.<String>builder().variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
            .contextEvaluator((flag, context) -> {
              Integer user = userNumber(context);
              return user == null ? null : user % 2 == 0 ? "v2" : "v1";
            }).build(),
        "search", Flag.<String>builder().variant("off", "off").variant("on", "on").defaultVariant("off")
            .contextEvaluator((flag, context) -> {
              Value plan = context.getValue("plan");
              return plan != null && "pro".equals(plan.asString()) ? "on" : "off";
            }).build()));
  }

  /** The user id of user {@code n}. */
  static String user(int n) {
    return "user-" + n;
  }

  /** Whether user {@code n} sends {@code x-plan: pro}. */
  static boolean isPro(int n) {
    return n % 3 == 0;
  }

  /** User {@code n}'s variants, as {@code checkout=v2,search=on}. */
  static String variants(int n) {
    return "checkout=" + checkout(n) + ",search=" + search(n);
  }

  static String checkout(int n) {
    return n % 2 == 0 ? "v2" : "v1";
  }

  static String search(int n) {
    return isPro(n) ? "on" : "off";
  }

  private static Integer userNumber(EvaluationContext context) {
    String key = context.getTargetingKey();
    if (key == null || !key.startsWith("user-")) {
      return null;
    }
    return Integer.valueOf(key.substring("user-".length()));
  }
}
