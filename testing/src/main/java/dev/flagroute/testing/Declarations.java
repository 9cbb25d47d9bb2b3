package dev.flagroute.testing;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.routes.InvalidRoutesException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Reads the routes and variants a test declares, outermost class first, the method last. */
final class Declarations {
  private Declarations() {}

  /**
   * The routes and the context declared for {@code extensionContext}, outermost class first. A route
   * declared again replaces the earlier one and drops the variant set for it further out.
   */
  static Declared read(ExtensionContext extensionContext) {
    Map<String, FlagRoute> routes = new LinkedHashMap<>();
    Map<String, WithVariant> variants = new LinkedHashMap<>();
    Map<String, AnnotatedElement> variantSites = new LinkedHashMap<>();
    for (AnnotatedElement site : sites(extensionContext)) {
      for (FlagRoute route : routesAt(site)) {
        routes.put(lower(route.key()), route);
        variants.remove(lower(route.key()));
      }
      Set<String> declaredHere = new HashSet<>();
      for (WithVariant variant : AnnotationSupport.findRepeatableAnnotations(site, WithVariant.class)) {
        if (!declaredHere.add(lower(variant.flag()))) {
          throw misconfigured(site, "@WithVariant(flag = \"" + variant.flag() + "\") is declared twice");
        }
        variants.put(lower(variant.flag()), variant);
        variantSites.put(lower(variant.flag()), site);
      }
    }
    FlagRoutes flagRoutes = FlagRoutes.of(routes.values());
    FlagContext.Builder builder = FlagContext.builder(flagRoutes);
    variants.forEach((key, variant) -> {
      String declared = "@WithVariant(flag = \"" + variant.flag() + "\", variant = \"" + variant.variant() + "\")";
      FlagRoute route = flagRoutes.get(variant.flag());
      if (route == null) {
        throw misconfigured(variantSites.get(key), declared + ": no route for flag '" + variant.flag()
            + "'; declare it with @WithRoute or @WithRoutesFile (routes: " + keys(flagRoutes) + ")");
      }
      if (!route.hasVariant(variant.variant())) {
        throw misconfigured(variantSites.get(key), declared + ": flag '" + route.key() + "' has no variant '"
            + variant.variant() + "'; its variants are " + route.variants().keySet());
      }
      builder.put(route.key(), new FlagDecision(variant.variant(), Source.OVERRIDE, FlagRoutingExtension.TEST_REASON));
    });
    return new Declared(flagRoutes, builder.fillDefaults(FlagDecision.MISSING).build());
  }

  /** The routes one element declares: its routes file, then its {@link WithRoute}s, which win. */
  private static List<FlagRoute> routesAt(AnnotatedElement site) {
    List<FlagRoute> routes = new ArrayList<>();
    AnnotationSupport.findAnnotation(site, WithRoutesFile.class).ifPresent(file -> load(file, site).forEach(routes::add));
    Set<String> declaredHere = new HashSet<>();
    for (WithRoute route : AnnotationSupport.findRepeatableAnnotations(site, WithRoute.class)) {
      if (!declaredHere.add(lower(route.flag()))) {
        throw misconfigured(site, "@WithRoute(flag = \"" + route.flag() + "\") is declared twice");
      }
      routes.add(build(route, site));
    }
    return routes;
  }

  /** What a test declares. */
  record Declared(FlagRoutes routes, FlagContext flags) {}

  private static List<AnnotatedElement> sites(ExtensionContext extensionContext) {
    List<AnnotatedElement> sites = new ArrayList<>(extensionContext.getEnclosingTestClasses());
    extensionContext.getTestClass().ifPresent(sites::add);
    extensionContext.getTestMethod().ifPresent(sites::add);
    return sites;
  }

  private static FlagRoute build(WithRoute declared, AnnotatedElement site) {
    FlagRoute.Builder builder = FlagRoute.builder(declared.flag()).service(declared.service());
    String first = null;
    for (String variant : declared.variants()) {
      int eq = variant.indexOf('=');
      String name = (eq < 0 ? variant : variant.substring(0, eq)).strip();
      builder.variant(name, eq < 0 ? name : variant.substring(eq + 1).strip());
      first = first == null ? name : first;
    }
    builder.defaultVariant(declared.defaultVariant().isEmpty() ? first : declared.defaultVariant());
    try {
      return builder.build();
    } catch (InvalidRoutesException e) {
      throw misconfigured(site, "@WithRoute(flag = \"" + declared.flag() + "\") is invalid: "
          + String.join("; ", e.problems()));
    }
  }

  private static FlagRoutes load(WithRoutesFile file, AnnotatedElement site) {
    String path = file.value().startsWith("/") ? file.value().substring(1) : file.value();
    try (InputStream in = owner(site).getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw misconfigured(site, "@WithRoutesFile(\"" + file.value() + "\"): no such resource on the class path");
      }
      return FlagRoutesFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read flag routes from classpath:" + path, e);
    } catch (InvalidRoutesException e) {
      throw misconfigured(site, e.getMessage());
    } catch (NoClassDefFoundError e) {
      throw misconfigured(site, "@WithRoutesFile needs org.snakeyaml:snakeyaml-engine on the test class path");
    }
  }

  private static ExtensionConfigurationException misconfigured(AnnotatedElement site, String problem) {
    String where = site instanceof Method method
        ? method.getDeclaringClass().getName() + "#" + method.getName()
        : ((Class<?>) site).getName();
    return new ExtensionConfigurationException(where + ": " + problem);
  }

  private static Class<?> owner(AnnotatedElement site) {
    return site instanceof Method method ? method.getDeclaringClass() : (Class<?>) site;
  }

  private static List<String> keys(FlagRoutes routes) {
    return routes.asList().stream().map(FlagRoute::key).toList();
  }

  private static String lower(String key) {
    return key.toLowerCase(Locale.ROOT);
  }
}
