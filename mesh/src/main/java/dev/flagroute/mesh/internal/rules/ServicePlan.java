package dev.flagroute.mesh.internal.rules;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Mirror;
import dev.flagroute.routes.ServiceRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The routing rules of one service in format-neutral form, ordered so that every format's
 * precedence picks the version {@link ServiceRoutes#version the precedence rule} names. Immutable.
 * Internal to flagroute-mesh.
 *
 * <p><b>Entries.</b> One entry per non-default variant of each flag, in declaration order, each
 * matching that flag's header alone. The precedence rule (the first flag in declaration order
 * carrying a non-default variant decides) is then exactly first match over the entries in order:
 * Istio's http routes and Consul's ServiceRouter routes are tried in list order, and Gateway API
 * ranks matches with equally many header matches (one each, here) by rule order within a route.
 * So no combination of flags needs a rule of its own, and a service needs one rule per
 * non-default variant, plus its default.
 */
public final class ServicePlan {
  private static final Pattern LOWERCASE_TOKEN = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]{1,256}");

  private final ServiceRoutes routes;
  private final List<Entry> entries;

  /**
   * One rule: the variant a request must carry, how the codec shows it, and the version it gets.
   * The lists hold one flag (formats write them as lists of conditions).
   *
   * @param keys the flag's key
   * @param variants the flag's variant
   * @param matches the flag's header match, as the codec writes the variant
   * @param version the version such a request goes to
   * @param mirror where a copy of such a request goes, or {@code null}
   */
  public record Entry(List<String> keys, List<String> variants, List<HeaderMatch> matches, String version,
      Mirror mirror) {
    /** The number of flags the entry matches on. */
    public int size() {
      return keys.size();
    }
  }

  private ServicePlan(ServiceRoutes routes, HeaderCodec codec) {
    this.routes = routes;
    List<Entry> all = new ArrayList<>();
    for (FlagRoute flag : routes.flags()) {
      for (String variant : flag.variants().keySet()) {
        if (!variant.equals(flag.defaultVariant())) {
          all.add(entry(codec, flag, variant));
        }
      }
    }
    this.entries = List.copyOf(all);
  }

  /**
   * Plans every service of {@code routes}, in order of first appearance.
   *
   * @throws IllegalArgumentException if the codec matches on a header name meshes cannot match
   */
  public static List<ServicePlan> of(FlagRoutes routes, HeaderCodec codec) {
    return routes.serviceRoutes().stream().map(s -> new ServicePlan(s, codec)).toList();
  }

  /** The flags steering the service, its versions and the precedence rule. */
  public ServiceRoutes routes() {
    return routes;
  }

  /** The mesh service (host). */
  public String service() {
    return routes.service();
  }

  /** The entries, in the order described above; the stable version's catch-all is not among them. */
  public List<Entry> entries() {
    return entries;
  }

  /** The version the precedence rule sends a request with {@code context} to. */
  public String expectedVersion(FlagContext context) {
    return routes.version(flag -> context.variant(flag.key()));
  }

  /** Where the precedence rule mirrors a request with {@code context}, or {@code null}. */
  public Mirror expectedMirror(FlagContext context) {
    return routes.mirror(flag -> context.variant(flag.key())).orElse(null);
  }

  /** Whether some variant of the service's flags is mirrored. */
  public boolean mirrors() {
    return routes.flags().stream().anyMatch(flag -> !flag.mirrors().isEmpty());
  }

  /**
   * Refuses the service's first mirrored variant, for a format that cannot mirror: the message
   * names the service, flag, variant and mirror version, then says {@code why}.
   *
   * @param why the rest of the message, e.g. {@code "Consul has no request mirroring"}
   * @throws IllegalArgumentException if some variant of the service's flags is mirrored
   */
  public void refuseMirrors(String why) {
    for (FlagRoute flag : routes.flags()) {
      for (Map.Entry<String, Mirror> mirrored : flag.mirrors().entrySet()) {
        throw new IllegalArgumentException("service '" + service() + "': flag '" + flag.key() + "' mirrors variant '"
            + mirrored.getKey() + "' to " + mirrored.getValue().version() + ", but " + why);
      }
    }
  }

  /** The entry for a request carrying {@code variant} of {@code flag} (and no other non-default variant before it). */
  private Entry entry(HeaderCodec codec, FlagRoute flag, String variant) {
    Function<FlagRoute, String> variantOf = f -> f == flag ? variant : null;
    return new Entry(List.of(flag.key()), List.of(variant), List.of(match(codec, flag, variant)),
        routes.version(variantOf), routes.mirror(variantOf).orElse(null));
  }

  /** The codec's match, checked to name a lowercase HTTP token as both meshes need. */
  private static HeaderMatch match(HeaderCodec codec, FlagRoute flag, String variant) {
    HeaderMatch match = codec.match(flag, variant);
    if (!LOWERCASE_TOKEN.matcher(match.header()).matches()) {
      throw new IllegalArgumentException(codec + " matches flag '" + flag.key() + "' on header '" + match.header()
          + "'; mesh rules need lowercase header names made of HTTP token characters");
    }
    return match;
  }
}
