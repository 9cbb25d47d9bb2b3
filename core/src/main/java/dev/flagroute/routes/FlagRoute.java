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
 * variant; optionally, non-default variants whose requests are also {@link Mirror mirrored} to
 * another version (a dark launch), and non-default variants whose share of users widens on a
 * guarded {@link Ramp}. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * FlagRoute checkout = FlagRoute.builder("checkout")
 *     .service("reviews")
 *     .variant("v1", "v1")
 *     .variant("v2", "v2")
 *     .variant("dark", "v1")
 *     .mirror("dark", "v2", 100)   // served by v1, copied to v2
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
  private final Map<String, Mirror> mirrors;
  private final Map<String, Ramp> ramps;

  private FlagRoute(Builder builder) {
    this.key = builder.key;
    this.service = builder.service;
    this.versionsByVariant = Collections.unmodifiableMap(new LinkedHashMap<>(builder.variants));
    this.variantNames = versionsByVariant.keySet().toArray(new String[0]);
    this.defaultVariant = builder.defaultVariant;
    Map<String, Mirror> ordered = new LinkedHashMap<>();
    versionsByVariant.keySet().stream().filter(builder.mirrors::containsKey)
        .forEach(variant -> ordered.put(variant, builder.mirrors.get(variant)));
    this.mirrors = Collections.unmodifiableMap(ordered);
    Map<String, Ramp> ramped = new LinkedHashMap<>();
    versionsByVariant.keySet().stream().filter(builder.ramps::containsKey)
        .forEach(variant -> ramped.put(variant, builder.ramps.get(variant)));
    this.ramps = Collections.unmodifiableMap(ramped);
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

  /** Variant name to its mirror, for the variants that have one, in declaration order; usually empty. */
  public Map<String, Mirror> mirrors() {
    return mirrors;
  }

  /** The mirror of {@code variant}, or {@code null} if its requests are not mirrored. */
  public Mirror mirrorOf(String variant) {
    return mirrors.isEmpty() ? null : mirrors.get(variant);
  }

  /** Variant name to its ramp, for the variants that have one, in declaration order; usually empty. */
  public Map<String, Ramp> ramps() {
    return ramps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlagRoute r
        && key.equals(r.key)
        && service.equals(r.service)
        && versionsByVariant.equals(r.versionsByVariant)
        && defaultVariant.equals(r.defaultVariant)
        && mirrors.equals(r.mirrors)
        && ramps.equals(r.ramps);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, service, versionsByVariant, defaultVariant, mirrors, ramps);
  }

  @Override
  public String toString() {
    return "FlagRoute{" + key + " -> " + service + " " + versionsByVariant + ", default=" + defaultVariant
        + (mirrors.isEmpty() ? "" : ", mirrors=" + mirrors) + (ramps.isEmpty() ? "" : ", ramps=" + ramps) + "}";
  }

  /** Builds a {@link FlagRoute}; {@link #build()} checks every rule at once. */
  public static final class Builder {
    private final String key;
    private String service;
    private final Map<String, String> variants = new LinkedHashMap<>();
    private final List<String> duplicateVariants = new ArrayList<>();
    private String defaultVariant;
    private final Map<String, Mirror> mirrors = new LinkedHashMap<>();
    private final Map<String, String> mirrorProblems = new LinkedHashMap<>();
    private final Map<String, Ramp> ramps = new LinkedHashMap<>();
    private final List<String> rampProblems = new ArrayList<>();

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

    /**
     * Mirrors {@code percent} percent of the requests carrying {@code variant} to {@code version}
     * (a dark launch): the variant's own version still serves them, and the mesh throws the
     * copies' responses away. The variant must be declared, must not be the default variant, and
     * is mirrored at most once.
     */
    public Builder mirror(String variant, String version, int percent) {
      String problem = Mirror.problem(version, percent);
      if (mirrors.containsKey(variant) || mirrorProblems.containsKey(variant)) {
        problem = "is mirrored twice";
      }
      if (problem == null) {
        mirrors.put(variant, new Mirror(version, percent));
      } else {
        mirrors.remove(variant);
        mirrorProblems.put(variant, problem);
      }
      return this;
    }

    /**
     * Ramps {@code variant} up on {@code ramp}: users outside the ramp's current share who are
     * decided the variant get the default variant instead. The variant must be declared, must not
     * be the default variant, and has at most one ramp.
     */
    public Builder ramp(String variant, Ramp ramp) {
      if (ramp == null) {
        rampProblems.add("variant '" + variant + "' has a null ramp");
      } else if (ramps.putIfAbsent(variant, ramp) != null) {
        rampProblems.add("variant '" + variant + "' has two ramps");
      }
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
      mirrorProblems.forEach((variant, problem) -> problems.add(flag + "variant '" + variant + "': " + problem));
      mirrors.forEach((variant, mirror) -> {
        if (!variants.containsKey(variant)) {
          problems.add(flag + "variant '" + variant + "' is mirrored but is not one of the variants " + variants.keySet());
        } else if (variant.equals(defaultVariant)) {
          problems.add(flag + "the default variant '" + variant + "' cannot be mirrored: requests without an active"
              + " flag share the service's default route; mirror a non-default variant served by the stable version");
        } else if (mirror.version().equals(variants.get(variant))) {
          problems.add(flag + "variant '" + variant + "' is served by version '" + mirror.version()
              + "' and cannot be mirrored to it as well");
        }
      });
      rampProblems.forEach(problem -> problems.add(flag + problem));
      ramps.keySet().forEach(variant -> {
        if (!variants.containsKey(variant)) {
          problems.add(flag + "variant '" + variant + "' has a ramp but is not one of the variants " + variants.keySet());
        } else if (variant.equals(defaultVariant)) {
          problems.add(flag + "the default variant '" + variant + "' cannot be ramped: it is what users outside a"
              + " ramp get; ramp a non-default variant");
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
