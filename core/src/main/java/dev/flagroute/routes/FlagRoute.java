package dev.flagroute.routes;

import dev.flagroute.internal.RouteNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One routing flag: its key, the mesh service it steers, its variants each mapped to a version
 * label (a subset in Istio, a per-version Service in Gateway API) and the default (stable)
 * variant. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * FlagRoute checkout = FlagRoute.builder("checkout")
 *     .service("reviews")
 *     .variant("v1", "v1")
 *     .variant("v2", "v2")
 *     .defaultVariant("v1")
 *     .build();
 * }</pre>
 */
public final class FlagRoute {
  private static final int MAX_SCANNED_VARIANTS = 8;

  private final String key;
  private final String service;
  private final Map<String, String> versionsByVariant;
  /** The variant names, the very instances of the map's keys, which decisions made here carry. */
  private final String[] variantNames;
  private final String defaultVariant;

  private FlagRoute(Builder builder) {
    this.key = builder.key;
    this.service = builder.service;
    this.versionsByVariant = Collections.unmodifiableMap(new LinkedHashMap<>(builder.variants));
    this.variantNames = versionsByVariant.keySet().toArray(new String[0]);
    this.defaultVariant = builder.defaultVariant;
  }

  /** Starts a route for the OpenFeature flag {@code key}. */
  public static Builder builder(String key) {
    return new Builder(key);
  }

  /** The OpenFeature flag key. */
  public String key() {
    return key;
  }

  /** The mesh service (host) whose traffic this flag steers. */
  public String service() {
    return service;
  }

  /** Variant name to version label, in declaration order. */
  public Map<String, String> variants() {
    return versionsByVariant;
  }

  /** The variant every request gets when nothing else decides: the stable one. */
  public String defaultVariant() {
    return defaultVariant;
  }

  /** Whether {@code variant} is one of this flag's variants. */
  public boolean hasVariant(String variant) {
    // Decisions built from this route's own variant names (relayed ones are) match by identity,
    // which spares a hash lookup per flag of every relayed request.
    if (variantNames.length <= MAX_SCANNED_VARIANTS) {
      for (String name : variantNames) {
        if (name == variant) {
          return true;
        }
      }
    }
    return versionsByVariant.containsKey(variant);
  }

  /** The version label of {@code variant}, or {@code null} if it is not a variant of this flag. */
  public String versionOf(String variant) {
    return versionsByVariant.get(variant);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlagRoute r
        && key.equals(r.key)
        && service.equals(r.service)
        && versionsByVariant.equals(r.versionsByVariant)
        && defaultVariant.equals(r.defaultVariant);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, service, versionsByVariant, defaultVariant);
  }

  @Override
  public String toString() {
    return "FlagRoute{" + key + " -> " + service + " " + versionsByVariant + ", default=" + defaultVariant + "}";
  }

  /** Builds a {@link FlagRoute}; {@link #build()} checks every rule at once. */
  public static final class Builder {
    private final String key;
    private String service;
    private final Map<String, String> variants = new LinkedHashMap<>();
    private final List<String> duplicateVariants = new ArrayList<>();
    private String defaultVariant;

    private Builder(String key) {
      this.key = key;
    }

    /** The mesh service (host) this flag steers. */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** Adds a variant and the version label of the workloads that serve it. */
    public Builder variant(String variant, String version) {
      if (variants.containsKey(variant)) {
        duplicateVariants.add(variant);
      }
      variants.put(variant, version);
      return this;
    }

    /** The stable variant; must be one of the variants. */
    public Builder defaultVariant(String variant) {
      this.defaultVariant = variant;
      return this;
    }

    /**
     * Returns the route.
     *
     * @throws InvalidRoutesException naming every problem of this definition
     */
    public FlagRoute build() {
      List<String> problems = problems("flag '" + key + "'");
      if (!problems.isEmpty()) {
        throw new InvalidRoutesException("builder", problems);
      }
      return new FlagRoute(this);
    }

    /** Every problem of this definition, each starting with {@code label}, such as {@code flag 'checkout'}. */
    List<String> problems(String label) {
      List<String> problems = new ArrayList<>();
      String flag = label + ": ";
      if (key == null) {
        problems.add(flag + "has no flag key");
      } else if (!RouteNames.FLAG_KEY.matcher(key).matches()) {
        problems.add(flag + "key must be 1-63 letters, digits, '-' or '.', starting and ending with"
            + " a letter or digit (it becomes an HTTP header name)");
      }
      if (service == null) {
        problems.add(flag + "has no service");
      } else if (!RouteNames.SERVICE.matcher(service).matches()) {
        problems.add(flag + "service '" + service + "' must be a lowercase DNS name such as 'reviews'");
      }
      if (variants.isEmpty()) {
        problems.add(flag + "has no variants");
      }
      duplicateVariants.forEach(v -> problems.add(flag + "variant '" + v + "' is declared twice"));
      variants.forEach((variant, version) -> {
        if (variant == null) {
          problems.add(flag + "has a variant without a name");
        } else if (!RouteNames.isVariant(variant)) {
          problems.add(flag + "variant '" + variant + "' must be 1-63 letters, digits, '-', '_' or '.',"
              + " starting and ending with a letter or digit");
        }
        if (version == null) {
          problems.add(flag + "variant '" + variant + "' has no version label");
        } else if (!RouteNames.VERSION.matcher(version).matches()) {
          problems.add(flag + "version '" + version + "' of variant '" + variant
              + "' must be a lowercase DNS label such as 'v2'");
        }
      });
      if (defaultVariant == null) {
        problems.add(flag + "has no default variant");
      } else if (!variants.isEmpty() && !variants.containsKey(defaultVariant)) {
        problems.add(flag + "default variant '" + defaultVariant + "' is not among the variants " + variants.keySet());
      }
      return problems;
    }
  }
}
