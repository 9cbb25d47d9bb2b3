package dev.flagroute.mesh;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routing rules of one service in format-neutral form, in the documented precedence.
 *
 * <p><b>Precedence.</b> A flag is <em>active</em> on a request when its variant is not the flag's
 * default (an absent flag counts as its default). A request goes to the version of the first
 * active flag in declaration order; with no active flag it goes to the service's stable version,
 * which every flag of the service must agree on (the version of each default variant).
 *
 * <p><b>Entries.</b> One entry per non-default variant of each flag, in declaration order, plus,
 * when the codec writes each flag in its own header, an explicit combination entry for every set
 * of two or more active variants whose versions differ, targeting the first flag's version.
 * Entries are ordered by number of flags, most first, then by declaration order, so that first
 * match (Istio) and most-header-matches-wins (Gateway API) pick the same entry.
 */
final class ServicePlan {
  /** The most entries one service may need before generation gives up. */
  static final int MAX_ENTRIES = 1024;
  private static final Pattern LOWERCASE_TOKEN = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]{1,256}");

  final String service;
  final String stableVersion;
  final List<FlagRoute> flags;
  final List<String> versions;
  final List<Entry> entries;
  final boolean combinations;

  /** One rule: the variants a request must carry, how the codec shows them, and the version it gets. */
  record Entry(List<String> keys, List<String> variants, List<HeaderMatch> matches, String version) {
    int size() {
      return keys.size();
    }
  }

  private final ServiceRoutes steering;

  private ServicePlan(ServiceRoutes steering, HeaderCodec codec) {
    this.steering = steering;
    this.service = steering.service();
    this.flags = steering.flags();
    this.stableVersion = steering.stableVersion();
    this.versions = steering.versions();
    this.combinations = distinctHeaders(flags, codec);
    List<Entry> all = new ArrayList<>();
    if (combinations) {
      long choices = 1;
      for (FlagRoute flag : flags) {
        choices = Math.min(choices * flag.variants().size(), Long.MAX_VALUE / 256);
      }
      if (choices > 64 * MAX_ENTRIES) {
        throw new IllegalArgumentException("service '" + service + "': its " + flags.size() + " flags have " + choices
            + " variant combinations, too many to route explicitly; steer it with fewer flags");
      }
      combine(codec, 0, new ArrayList<>(), new ArrayList<>(), all);
    }
    for (FlagRoute flag : flags) {
      for (String variant : flag.variants().keySet()) {
        if (!variant.equals(flag.defaultVariant())) {
          all.add(new Entry(List.of(flag.key()), List.of(variant), List.of(match(codec, flag, variant)),
              flag.versionOf(variant)));
        }
      }
    }
    all.sort(Comparator.comparingInt(Entry::size).reversed());
    this.entries = List.copyOf(all);
  }

  /** Plans every service of {@code routes}, in order of first appearance. */
  static List<ServicePlan> of(FlagRoutes routes, HeaderCodec codec) {
    return routes.serviceRoutes().stream().map(s -> new ServicePlan(s, codec)).toList();
  }

  /** The version the documented precedence sends a request with {@code context} to. */
  String expectedVersion(FlagContext context) {
    return steering.version(flag -> context.variant(flag.key()));
  }

  /**
   * Adds an entry for each choice of two or more non-default variants over flags {@code from..}
   * whose versions differ, depth first (so in declaration order within each size).
   */
  private void combine(HeaderCodec codec, int from, List<FlagRoute> chosen, List<String> variants, List<Entry> out) {
    if (chosen.size() > 1 && differentVersions(chosen, variants)) {
      if (out.size() >= MAX_ENTRIES) {
        throw new IllegalArgumentException("service '" + service + "': its " + flags.size()
            + " flags need more than " + MAX_ENTRIES + " combination rules; steer it with fewer flags");
      }
      List<HeaderMatch> matches = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        matches.add(match(codec, chosen.get(i), variants.get(i)));
      }
      out.add(new Entry(chosen.stream().map(FlagRoute::key).toList(), List.copyOf(variants), List.copyOf(matches),
          chosen.get(0).versionOf(variants.get(0))));
    }
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

  /** The codec's match, checked to name a lowercase HTTP token as both meshes need. */
  private static HeaderMatch match(HeaderCodec codec, FlagRoute flag, String variant) {
    HeaderMatch match = codec.match(flag, variant);
    if (!LOWERCASE_TOKEN.matcher(match.header()).matches()) {
      throw new IllegalArgumentException(codec + " matches flag '" + flag.key() + "' on header '" + match.header()
          + "'; mesh rules need lowercase header names made of HTTP token characters");
    }
    return match;
  }

  private static boolean differentVersions(List<FlagRoute> chosen, List<String> variants) {
    String first = chosen.get(0).versionOf(variants.get(0));
    for (int i = 1; i < chosen.size(); i++) {
      if (!chosen.get(i).versionOf(variants.get(i)).equals(first)) {
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
