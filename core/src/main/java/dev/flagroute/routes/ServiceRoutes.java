package dev.flagroute.routes;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The flags that steer one mesh service, in declaration order, and the one rule that picks the
 * version of the service a request goes to. The mesh rules flagroute generates, its route
 * evaluator and drift check, and the relay's misroute detection all follow this rule.
 *
 * <p><b>Precedence.</b> A flag is <em>active</em> on a request when it carries one of the flag's
 * variants other than its default. The request goes to the version of the first active flag in
 * declaration order; with no active flag it goes to the {@link #stableVersion() stable version},
 * the one every flag's default variant maps to. A flag a request does not carry, or carries with a
 * value that is not one of its variants, is not active: no mesh rule matches it. When the deciding
 * flag's variant is {@link FlagRoute#mirrorOf mirrored}, the mesh also sends a copy of the request
 * to the mirror's version ({@link #mirror}).
 *
 * <pre>{@code
 * ServiceRoutes reviews = routes.service("reviews");
 * String version = reviews.version(flag -> context.variant(flag.key()));
 * }</pre>
 */
public final class ServiceRoutes {
  private final String service;
  private final List<FlagRoute> flags;
  private final String stableVersion;
  private final List<String> versions;

  ServiceRoutes(String service, List<FlagRoute> flags) {
    this.service = service;
    this.flags = List.copyOf(flags);
    FlagRoute first = flags.get(0);
    this.stableVersion = first.versionOf(first.defaultVariant());
    Set<String> all = new LinkedHashSet<>();
    all.add(stableVersion);
    flags.forEach(flag -> all.addAll(flag.variants().values()));
    flags.forEach(flag -> flag.mirrors().values().forEach(mirror -> all.add(mirror.version())));
    this.versions = List.copyOf(all);
  }

  /** The mesh service (host). */
  public String service() {
    return service;
  }

  /** The flags steering the service, in declaration order. */
  public List<FlagRoute> flags() {
    return flags;
  }

  /** The version a request goes to when no flag is active. */
  public String stableVersion() {
    return stableVersion;
  }

  /**
   * Every version label of the service: the stable one first, then those serving variants in
   * declaration order, then those only receiving {@link Mirror mirrored} copies.
   */
  public List<String> versions() {
    return versions;
  }

  /**
   * The flag that decides where a request goes: the first active one in declaration order, or
   * empty when none is active and the request goes to the stable version.
   *
   * @param variantOf the value each flag carries, {@code null} for a flag the request lacks
   */
  public Optional<FlagRoute> decidingFlag(Function<? super FlagRoute, String> variantOf) {
    for (FlagRoute flag : flags) {
      if (active(flag, variantOf.apply(flag))) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code flag} is active on a request carrying {@code variant}: a variant of its own but the default. */
  private static boolean active(FlagRoute flag, String variant) {
    return variant != null && !variant.equals(flag.defaultVariant()) && flag.hasVariant(variant);
  }

  /**
   * The version a request goes to: the deciding flag's variant's version, else the stable version.
   *
   * @param variantOf the value each flag carries, {@code null} for a flag the request lacks
   */
  public String version(Function<? super FlagRoute, String> variantOf) {
    // decidingFlag without the Optional: the metrics listener asks this per flag of every request
    for (FlagRoute flag : flags) {
      String variant = variantOf.apply(flag);
      if (active(flag, variant)) {
        return flag.versionOf(variant);
      }
    }
    return stableVersion;
  }

  /**
   * The mirror of the deciding flag's variant, or empty when no flag is active or its variant is
   * not mirrored: where the mesh also sends a copy of the request.
   *
   * @param variantOf the value each flag carries, {@code null} for a flag the request lacks
   */
  public Optional<Mirror> mirror(Function<? super FlagRoute, String> variantOf) {
    return decidingFlag(variantOf).map(flag -> flag.mirrorOf(variantOf.apply(flag)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceRoutes other && service.equals(other.service) && flags.equals(other.flags);
  }

  @Override
  public int hashCode() {
    return 31 * service.hashCode() + flags.hashCode();
  }

  @Override
  public String toString() {
    return "ServiceRoutes{" + service + " " + flags.stream().map(FlagRoute::key).toList() + ", stable=" + stableVersion
        + "}";
  }
}
