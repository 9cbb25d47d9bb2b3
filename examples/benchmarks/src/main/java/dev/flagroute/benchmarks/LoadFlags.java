package dev.flagroute.benchmarks;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every load test's server routes with, for servers outside this package (the load servers
 * and the Spring applications of {@code load-mvc} and {@code load-webflux}): the benchmarks' ten
 * routing flags and their 50/50 in-memory provider, so that every load test decides the same flags
 * the same way.
 */
public final class LoadFlags {
  private LoadFlags() {}

  /** The evaluation attributes the flags' targeting reads, taken from headers: {@code country}, {@code plan}. */
  public static String[] keyAttributes() {
    return Fixtures.KEY_ATTRIBUTES.clone();
  }

  /** The ten routes, each {@code stable}/{@code canary} with {@code stable} the default. */
  public static FlagRoutes routes() {
    return Fixtures.ROUTES;
  }

  /** A fresh in-memory provider deciding each flag 50/50 on the targeting key. */
  public static FeatureProvider provider() {
    return Fixtures.memoryProvider(new Fixtures.Evaluations());
  }

  /** An OpenFeature API of its own (not the global one) serving {@link #provider()}, ready. */
  public static OpenFeatureAPI isolatedApi() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(provider());
    return api;
  }

  /** The variant an interior hop receives for {@code flag}: canary for every other flag. */
  public static String stampedVariant(int flag) {
    return Fixtures.stampedVariant(flag);
  }

  /**
   * The ten flag headers an interior hop receives, by name ({@code x-flag-<flag>}), with their
   * {@link #stampedVariant} values, in the order of the routes: what a plain path sends by hand so
   * that it carries the same entries as the flagged one.
   */
  public static Map<String, String> stampedHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      headers.put(Fixtures.flagHeader(i), Fixtures.stampedVariant(i));
    }
    return headers;
  }

  /**
   * The routes as the Spring starter's {@code flagroute.routes[i].*} properties, for
   * {@code SpringApplication.setDefaultProperties}: the same routes without a copy in YAML.
   */
  public static Map<String, Object> springRoutes() {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<FlagRoute> routes = routes().asList();
    for (int i = 0; i < routes.size(); i++) {
      String prefix = "flagroute.routes[" + i + "].";
      FlagRoute route = routes.get(i);
      properties.put(prefix + "flag", route.key());
      properties.put(prefix + "service", route.service());
      properties.put(prefix + "default-variant", route.defaultVariant());
      route.variants().forEach((variant, version) -> properties.put(prefix + "variants." + variant, version));
    }
    return properties;
  }
}
