package dev.flagroute.mesh.internal.check;

import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rules that match under a header that looks like a flag header but is not the codec's (such as
 * {@code x-flag-checkout} when the codec writes {@code x-flags}), and what that one cause does to requests. The routing check hands
 * over the requests this explains, so that {@link HeaderCheck} reports the cause once, as a
 * {@link dev.flagroute.mesh.Drift.Kind#HEADER_NAME} finding stating the requests it affects, instead of one
 * finding per consequence: requests sent with such a header that the rule takes elsewhere, and stamped requests
 * it was meant for. A stamped request is explained by a rule when, sent with the rule's headers of a known flag
 * carrying the request's variants, it would reach that rule and be routed right. Mutable; one per check.
 * Internal to flagroute-mesh.
 */
public final class MisnamedHeaders {
  /** The most requests a finding lists, then a count. */
  private static final int LISTED = 3;

  private final Map<MeshRule, Map<String, String>> flagByHeader = new LinkedHashMap<>();
  private final Map<MeshRule, Set<String>> explained = new LinkedHashMap<>();

  /** Records that {@code rule} matches under {@code header} the value of flag {@code flagKey} (null: of no flag known). */
  void add(MeshRule rule, String header, String flagKey) {
    flagByHeader.computeIfAbsent(rule, r -> new LinkedHashMap<>()).put(header, flagKey);
  }

  /**
   * The misnamed rule that would route {@code stamp} right if the codec wrote the rule's headers, or empty.
   *
   * @param routedRight whether a hit routes the stamped request to its version, mirrored as the routes say
   */
  Optional<MeshRule> explaining(ServiceRules rules, StampedRequests.Stamp stamp, Predicate<Hit> routedRight) {
    if (flagByHeader.isEmpty()) {
      return Optional.empty();
    }
    MeshRequest original = stamp.request();
    MeshRequest.Builder builder = MeshRequest.builder().method(original.method()).path(original.path());
    original.headers().forEach(builder::header);
    boolean added = false;
    for (Map<String, String> headers : flagByHeader.values()) {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        String variant = header.getValue() == null ? null : stamp.context().variant(header.getValue());
        if (variant != null && original.header(header.getKey()) == null) {
          builder.header(header.getKey(), variant);
          added = true;
        }
      }
    }
    if (!added) {
      return Optional.empty();
    }
    return rules.hit(builder.build()).filter(routedRight)
        .map(Hit::rule).filter(flagByHeader::containsKey);
  }

  /** Whether {@code witness}, taken by {@code rule}, is sent with one of the rule's misnamed headers. */
  boolean explains(MeshRule rule, Witnesses.Witness witness) {
    Map<String, String> headers = flagByHeader.get(rule);
    return headers != null && witness.headers().keySet().stream().anyMatch(headers::containsKey);
  }

  /** Notes that {@code rule}'s misnamed headers explain what happens to {@code requests}. */
  void explain(MeshRule rule, String requests) {
    explained.computeIfAbsent(rule, r -> new LinkedHashSet<>()).add(requests);
  }

  /** What the misnamed headers of {@code rule} do, e.g. {@code ": requests to reviews with ... go to v1, not v2"}. */
  String consequences(MeshRule rule) {
    List<String> all = new ArrayList<>(explained.getOrDefault(rule, Set.of()));
    if (all.isEmpty()) {
      return "";
    }
    List<String> listed = all.subList(0, Math.min(LISTED, all.size()));
    return ": " + String.join("; ", listed)
        + (all.size() > LISTED ? "; and " + (all.size() - LISTED) + " more such requests" : "");
  }
}
