package dev.flagroute.benchmarks;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every benchmark shares: ten routing flags, the headers of a typical request, and a provider
 * that splits users 50/50 on each flag, as a sticky percentage rollout does.
 */
final class Fixtures {
  /** The routing flags' keys; each steers the service of the same name. */
  static final String[] KEYS = {
      "checkout", "search", "reviews", "ratings", "payments",
      "catalog", "cart", "recommendations", "shipping", "profile"};
  static final String STABLE = "stable";
  static final String CANARY = "canary";
  static final FlagRoutes ROUTES = routes();

  /** The evaluation attributes the routing flags' targeting reads (and so the cache key). */
  static final String[] KEY_ATTRIBUTES = {"country", "plan"};

  private Fixtures() {}

  private static FlagRoutes routes() {
    FlagRoute[] routes = new FlagRoute[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      routes[i] = FlagRoute.builder(KEYS[i]).service(KEYS[i])
          .variant(STABLE, "v1").variant(CANARY, "v2").defaultVariant(STABLE).build();
    }
    return FlagRoutes.of(routes);
  }

  /** The per-flag header of flag {@code i}: {@code x-flag-<key>}. */
  static String flagHeader(int i) {
    return "x-flag-" + KEYS[i];
  }

  /** The variant stamped for flag {@code i} in the carriers: canary for even flags. */
  static String stampedVariant(int i) {
    return i % 2 == 0 ? CANARY : STABLE;
  }

  /** Ten ordinary headers of an HTTP request, lowercase as HTTP/2 and most servers give them. */
  static Map<String, String> ordinaryHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", "checkout.shop.svc.cluster.local:8080");
    headers.put("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    headers.put("accept", "application/json, text/plain, */*");
    headers.put("accept-encoding", "gzip, deflate, br");
    headers.put("accept-language", "en-US,en;q=0.5");
    headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    headers.put("x-request-id", "8c1b8f4e-0e6f-4d7b-9a57-3c6c0f1b2d44");
    headers.put("x-forwarded-for", "203.0.113.7");
    headers.put("content-type", "application/json");
    headers.put("x-user-id", "user-4711");
    return headers;
  }

  /** An interior hop's inbound headers: the ordinary ones and one {@code x-flag-<key>} per flag. */
  static Map<String, String> perFlagCarrier() {
    Map<String, String> headers = new HashMap<>(ordinaryHeaders());
    for (int i = 0; i < KEYS.length; i++) {
      // a fresh string, as a server parses it off the wire: never the route's own variant instance
      headers.put(flagHeader(i), new String(stampedVariant(i).toCharArray()));
    }
    return headers;
  }

  /** The W3C baggage value carrying the same ten flags: {@code flag.checkout=canary,...}. */
  static String baggageValue() {
    StringBuilder baggage = new StringBuilder();
    for (int i = 0; i < KEYS.length; i++) {
      if (i > 0) {
        baggage.append(',');
      }
      baggage.append("flag.").append(KEYS[i]).append('=').append(stampedVariant(i));
    }
    return baggage.toString();
  }

  /** The same ten flags as one W3C {@code baggage} header among the ordinary ones. */
  static Map<String, String> baggageCarrier() {
    Map<String, String> headers = new HashMap<>(ordinaryHeaders());
    headers.put("baggage", baggageValue());
    return headers;
  }

  /** An edge request: ordinary headers only (clients do not send flag headers). */
  static Map<String, String> edgeCarrier() {
    return new HashMap<>(ordinaryHeaders());
  }

  /** A user's evaluation context: targeting key and the two attributes routing targets on. */
  static ImmutableContext user(String targetingKey) {
    return new ImmutableContext(targetingKey, Map.of("country", new Value("de"), "plan", new Value("pro")));
  }

  /**
   * An in-memory provider deciding each flag per user, 50/50 on a hash of flag and targeting key;
   * {@code evaluations} counts its evaluations.
   */
  static InMemoryProvider memoryProvider(Evaluations evaluations) {
    Map<String, Flag<?>> flags = new LinkedHashMap<>();
    for (String key : KEYS) {
      int salt = key.hashCode();
      flags.put(key, Flag.<String>builder().variant(STABLE, STABLE).variant(CANARY, CANARY).defaultVariant(STABLE)
          .contextEvaluator((flag, context) -> {
            evaluations.count++;
            String user = context.getTargetingKey();
            return user == null ? null : Math.floorMod(31 * salt + user.hashCode(), 100) < 50 ? CANARY : STABLE;
          }).build());
    }
    return new InMemoryProvider(flags);
  }

  /** The same ten flags for flagd: a 50/50 {@code fractional} split on the targeting key each. */
  static String flagdFlagsJson() {
    StringBuilder json = new StringBuilder("{\"flags\":{");
    for (int i = 0; i < KEYS.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append('"').append(KEYS[i]).append("\":{\"state\":\"ENABLED\",")
          .append("\"variants\":{\"stable\":\"stable\",\"canary\":\"canary\"},\"defaultVariant\":\"stable\",")
          .append("\"targeting\":{\"fractional\":[[\"stable\",50],[\"canary\",50]]}}");
    }
    return json.append("}}").toString();
  }

  /** A counter of provider evaluations; benchmarks run single-threaded, so a plain field is enough. */
  static final class Evaluations {
    long count;
  }
}
