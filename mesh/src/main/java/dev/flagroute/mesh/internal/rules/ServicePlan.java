package dev.flagroute.mesh.internal.rules;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Mirror;
import dev.flagroute.routes.ServiceRoutes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The routing rules of one service in format-neutral form, ordered so that every format's
 * precedence picks the version {@link ServiceRoutes#version the precedence rule} names. Immutable.
 * Internal to flagroute-mesh.
 *
 * <p><b>Entries.</b> One entry per non-default variant of each flag, in declaration order, plus,
 * when the codec writes each flag in its own header, an explicit combination entry for every set
 * of two or more active variants whose outcomes (version, and {@link Mirror mirror} if any)
 * differ, targeting the outcome the precedence rule gives that set (none at all when every
 * non-default variant has the same outcome, however many flags there are). Entries are ordered by number
 * of flags, most first, then by declaration order, so that first match (Istio, Consul) and
 * most-header-matches-wins (Gateway API) pick the same entry.
 */
public final class ServicePlan {
  /** The most entries one service may need before planning gives up. */
  public static final int MAX_ENTRIES = 1024;
  private static final Pattern LOWERCASE_TOKEN = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]{1,256}");

  private final ServiceRoutes routes;
  private final boolean combinations;
  private final List<Entry> entries;

  /**
   * One rule: the variants a request must carry, how the codec shows them, and the version it gets.
   *
   * @param keys the flags' keys, in declaration order
   * @param variants each flag's variant
   * @param matches each flag's header match, as the codec writes the variant
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
    List<FlagRoute> flags = routes.flags();
    this.combinations = distinctHeaders(flags, codec);
    List<Entry> all = new ArrayList<>();
    if (combinations && !oneOutcome(flags)) {
      long choices = 1;
      for (FlagRoute flag : flags) {
        choices = Math.min(choices * flag.variants().size(), Long.MAX_VALUE / 256);
      }
      if (choices > 64 * MAX_ENTRIES) {
        throw new IllegalArgumentException("service '" + service() + "': its " + flags.size() + " flags have "
            + choices + " variant combinations, too many to route explicitly; steer it with fewer flags");
      }
      combine(codec, 0, new ArrayList<>(), new ArrayList<>(), all);
    }
    for (FlagRoute flag : flags) {
      for (String variant : flag.variants().keySet()) {
        if (!variant.equals(flag.defaultVariant())) {
          all.add(entry(codec, List.of(flag), List.of(variant)));
        }
      }
    }
    all.sort(Comparator.comparingInt(Entry::size).reversed());
    this.entries = List.copyOf(all);
  }

  /**
   * Plans every service of {@code routes}, in order of first appearance.
   *
   * @throws IllegalArgumentException if a service needs too many combination entries, or the
   *     codec matches on a header name meshes cannot match
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

  /** Whether the entries hold explicit combinations (each flag has its own header, and there are several). */
  public boolean combinations() {
    return combinations;
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

  /**
   * Adds an entry for each choice of two or more non-default variants over flags {@code from..}
   * whose outcomes differ, depth first (so in declaration order within each size).
   */
  private void combine(HeaderCodec codec, int from, List<FlagRoute> chosen, List<String> variants, List<Entry> out) {
    if (chosen.size() > 1 && differentOutcomes(chosen, variants)) {
      if (out.size() >= MAX_ENTRIES) {
        throw new IllegalArgumentException("service '" + service() + "': its " + routes.flags().size()
            + " flags need more than " + MAX_ENTRIES + " combination rules; steer it with fewer flags");
      }
      out.add(entry(codec, List.copyOf(chosen), List.copyOf(variants)));
    }
    List<FlagRoute> flags = routes.flags();
    for (int i = from; i < flags.size(); i++) {
      FlagRoute flag = flags.get(i);
      for (String variant : flag.variants().keySet()) {
        if (variant.equals(flag.defaultVariant())) {
          continue;
        }
        chosen.add(flag);
        variants.add(variant);
        combine(codec, i + 1, chosen, variants, out);
        chosen.remove(chosen.size() - 1);
        variants.remove(variants.size() - 1);
      }
    }
  }

  /** The entry for a request carrying {@code variants} of {@code flags} (and defaults for the rest). */
  private Entry entry(HeaderCodec codec, List<FlagRoute> flags, List<String> variants) {
    List<HeaderMatch> matches = new ArrayList<>();
    for (int i = 0; i < flags.size(); i++) {
      matches.add(match(codec, flags.get(i), variants.get(i)));
    }
    Function<FlagRoute, String> variantOf = flag -> {
      int i = flags.indexOf(flag);
      return i < 0 ? null : variants.get(i);
    };
    return new Entry(flags.stream().map(FlagRoute::key).toList(), variants, List.copyOf(matches),
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

  /**
   * Whether every non-default variant of {@code flags} has the same outcome (version and mirror):
   * then no combination can differ, and none is enumerated, however many flags there are.
   */
  private static boolean oneOutcome(List<FlagRoute> flags) {
    Set<List<Object>> outcomes = new HashSet<>();
    for (FlagRoute flag : flags) {
      flag.variants().forEach((variant, version) -> {
        if (!variant.equals(flag.defaultVariant())) {
          outcomes.add(Arrays.asList(version, flag.mirrorOf(variant)));
        }
      });
    }
    return outcomes.size() <= 1;
  }

  private static boolean differentOutcomes(List<FlagRoute> chosen, List<String> variants) {
    String version = chosen.get(0).versionOf(variants.get(0));
    Mirror mirror = chosen.get(0).mirrorOf(variants.get(0));
    for (int i = 1; i < chosen.size(); i++) {
      if (!chosen.get(i).versionOf(variants.get(i)).equals(version)
          || !Objects.equals(chosen.get(i).mirrorOf(variants.get(i)), mirror)) {
        return true;
      }
    }
    return false;
  }

  private static boolean distinctHeaders(List<FlagRoute> flags, HeaderCodec codec) {
    Set<String> headers = new HashSet<>();
    for (FlagRoute flag : flags) {
      if (!headers.add(match(codec, flag, flag.defaultVariant()).header())) {
        return false;
      }
    }
    return flags.size() > 1;
  }
}
