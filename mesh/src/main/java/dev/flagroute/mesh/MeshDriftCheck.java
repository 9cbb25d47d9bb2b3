package dev.flagroute.mesh;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks existing mesh rules (Istio, Gateway API, or both) against the flag routes and codec the
 * router uses, and reports every {@link Drift}. Immutable and thread-safe.
 *
 * <p>Routing is checked by evaluation, not by comparing text: for each routed service, requests
 * stamped with every combination of its flags' variants (all of them up to
 * {@value #MAX_REQUESTS_PER_SERVICE} combinations, else one flag at a time) and one request without
 * flag headers go through {@link MeshRouteEvaluator}, and must reach the version the documented
 * precedence ({@link MeshGenerator}) names. Header names and values, destinations and shadowing
 * are checked rule by rule.
 *
 * <pre>{@code
 * List<Drift> drift = MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
 *     .check(MeshYaml.read(Files.readString(meshFile), meshFile.toString()));
 * }</pre>
 */
public final class MeshDriftCheck {
  /** The most stamped requests checked per service and format. */
  public static final int MAX_REQUESTS_PER_SERVICE = 1024;
  private static final int MAX_REPORTS_PER_SERVICE = 10;

  private final FlagRoutes routes;
  private final HeaderCodec codec;
  private final MeshOptions options;
  private final List<ServicePlan> plans;
  private final Map<String, List<Stamp>> stamps = new LinkedHashMap<>();
  private final Map<String, Set<String>> stampedValues = new HashMap<>();
  private final Set<String> codecHeaders = new HashSet<>();

  /** A request stamped from a context, and where the precedence says it goes. */
  private record Stamp(FlagContext context, MeshRequest request, String expected) {}

  private MeshDriftCheck(FlagRoutes routes, HeaderCodec codec, MeshOptions options) {
    this.routes = routes;
    this.codec = codec;
    this.options = options;
    this.plans = ServicePlan.of(routes, codec);
    codecHeaders.addAll(codec.headerNames(routes));
    for (ServicePlan plan : plans) {
      List<Stamp> list = new ArrayList<>();
      for (FlagContext context : contexts(plan)) {
        Map<String, String> headers = new TreeMap<>();
        codec.inject(context, headers, HeaderSetter.forMap());
        headers.forEach((name, value) -> stampedValues.computeIfAbsent(name, k -> new HashSet<>()).add(value));
        list.add(new Stamp(context, MeshRequest.of(headers), plan.expectedVersion(context)));
      }
      list.add(new Stamp(FlagContext.empty(), MeshRequest.of(Map.of()), plan.stableVersion));
      stamps.put(plan.service, list);
    }
  }

  /**
   * A check of mesh rules against {@code routes} stamped by {@code codec}; {@code options} give
   * the version label subsets and Services select on.
   *
   * @throws IllegalArgumentException if the routes themselves cannot be expressed as mesh rules
   */
  public static MeshDriftCheck of(FlagRoutes routes, HeaderCodec codec, MeshOptions options) {
    return new MeshDriftCheck(Objects.requireNonNull(routes, "routes"), Objects.requireNonNull(codec, "codec"),
        Objects.requireNonNull(options, "options"));
  }

  /**
   * The drift between the rules in {@code documents} and the routes; empty when they agree.
   *
   * @throws InvalidMeshException if a routing document cannot be evaluated
   */
  public List<Drift> check(List<? extends Map<String, ?>> documents) {
    List<Resource> resources = MeshRouteEvaluator.resources(documents, new ArrayList<>());
    boolean istio = resources.stream().anyMatch(r -> r.is(IstioTable.GROUP, "VirtualService")
        || r.is(IstioTable.GROUP, "DestinationRule"));
    boolean gateway = resources.stream().anyMatch(r -> r.is(GatewayTable.GROUP, "HTTPRoute")
        || r.is(GatewayTable.GROUP, "GRPCRoute"));
    List<Drift> drift = new ArrayList<>();
    if (!istio && !gateway) {
      plans.forEach(p -> drift.add(new Drift(Drift.Kind.MISSING_RULE, "service " + p.service,
          "no VirtualService, HTTPRoute or GRPCRoute routes it")));
      return drift;
    }
    for (MeshFormat format : MeshFormat.values()) {
      if (format == MeshFormat.ISTIO ? istio : gateway) {
        MeshRouteEvaluator mesh = MeshRouteEvaluator.of(format, documents, "mesh rules");
        for (ServicePlan plan : plans) {
          checkRouting(mesh, plan, drift);
        }
        List<MeshRule> rules = format == MeshFormat.ISTIO
            ? mesh.istio().virtualServices.stream().flatMap(vs -> vs.rules().stream()).toList()
            : mesh.gateway().routes.stream().flatMap(r -> r.rules().stream()).toList();
        rules.forEach(rule -> checkHeaders(rule, format, drift));
        checkDestinations(mesh, drift);
        checkShadowing(mesh, drift);
      }
    }
    return drift;
  }

  private void checkRouting(MeshRouteEvaluator mesh, ServicePlan plan, List<Drift> drift) {
    String where = "service " + plan.service + " (" + mesh.format().id() + ")";
    if (!mesh.routes(plan.service)) {
      drift.add(new Drift(Drift.Kind.MISSING_RULE, where, mesh.format() == MeshFormat.ISTIO
          ? "no VirtualService has it as a host" : "no HTTPRoute or GRPCRoute attaches to it"));
      return;
    }
    int reported = 0;
    int more = 0;
    for (Stamp stamp : stamps.get(plan.service)) {
      MeshRouteEvaluator.Hit hit = mesh.hit(plan.service, stamp.request);
      Set<String> actual = hit == null ? Set.of() : versions(mesh, plan.service, hit.rule());
      if (actual.equals(Set.of(stamp.expected))) {
        continue;
      }
      if (reported == MAX_REPORTS_PER_SERVICE) {
        more++;
        continue;
      }
      reported++;
      boolean flagRule = hit != null && hit.match() != null && hit.match().conditions().stream()
          .anyMatch(c -> c instanceof Condition.Header h && codecHeaders.contains(h.name()));
      String request = describe(plan, stamp.context);
      String reached = hit == null ? "matches no rule"
          : "goes to " + (actual.isEmpty() ? "no destination" : String.join(" + ", actual)) + " by rule '"
              + hit.rule().name() + "' of " + hit.rule().resource();
      drift.add(new Drift(flagRule ? Drift.Kind.WRONG_VERSION : Drift.Kind.MISSING_RULE, where,
          "a request with " + request + " " + reached + ", but the routes send it to " + stamp.expected
              + (active(plan, stamp.context) > 1 ? " (the first non-default flag in declaration order wins)" : "")));
    }
    if (more > 0) {
      drift.add(new Drift(Drift.Kind.WRONG_VERSION, where, "and " + more + " more requests routed differently"));
    }
  }

  /** The versions a rule's weighted destinations reach for {@code service}, as labels or descriptions. */
  private Set<String> versions(MeshRouteEvaluator mesh, String service, MeshRule rule) {
    Set<String> versions = new LinkedHashSet<>();
    ServiceName wanted = ServiceName.parse(service, null);
    for (MeshDestination d : rule.destinations()) {
      if (d.weight() <= 0) {
        continue;
      }
      if (mesh.format() == MeshFormat.ISTIO) {
        if (!ServiceName.parse(d.host(), null).sameAs(wanted)) {
          versions.add("host " + d.host());
        } else if (d.subset() == null) {
          versions.add("every version (no subset)");
        } else {
          Map<String, String> labels = mesh.istio().subsets(d.host(), null).get(d.subset());
          String version = labels == null ? null : labels.get(options.versionLabel());
          versions.add(version != null ? version : "undefined subset " + d.subset());
        }
      } else {
        ServiceName backend = ServiceName.parse(d.host(), null);
        Map<String, String> selector = mesh.gateway().serviceSelectors.entrySet().stream()
            .filter(e -> e.getKey().sameAs(backend)).map(Map.Entry::getValue).findFirst().orElse(null);
        String prefix = wanted.name() + "-";
        String version = selector != null ? selector.get(options.versionLabel())
            : backend.name().startsWith(prefix) ? backend.name().substring(prefix.length()) : null;
        versions.add(version != null ? version : "Service " + d.host());
      }
    }
    return versions;
  }

  private void checkHeaders(MeshRule rule, MeshFormat format, List<Drift> drift) {
    Set<String> reported = new HashSet<>();
    for (MeshRule.Match match : rule.matches()) {
      for (Condition condition : match.conditions()) {
        if (!(condition instanceof Condition.Header header)) {
          continue;
        }
        String where = rule.resource() + " rule '" + rule.name() + "'";
        String name = header.name();
        String lower = name.toLowerCase(Locale.ROOT);
        if (format == MeshFormat.ISTIO && !name.equals(lower) && reported.add("case " + name)) {
          drift.add(new Drift(Drift.Kind.HEADER_NAME, where, "header key '" + name
              + "' is not lowercase, so Envoy never matches it" + (codecHeaders.contains(lower)
                  ? "; the codec writes '" + lower + "'" : "")));
        }
        if (codecHeaders.contains(lower)) {
          if (!header.inverted() && stampedValues.getOrDefault(lower, Set.of()).stream()
              .noneMatch(v -> header.match().test(v)) && reported.add("value " + lower + header.match())) {
            drift.add(new Drift(Drift.Kind.UNKNOWN_VALUE, where, "header '" + lower + "' must match "
                + header.match() + ", which no variant produces" + knownValues(lower)));
          }
        } else if (codec.owns(lower)) {
          if (reported.add("flag " + lower)) {
            drift.add(new Drift(Drift.Kind.UNKNOWN_FLAG, where, "header '" + lower
                + "' belongs to the codec but to no flag of the routes; flag headers are " + sorted(codecHeaders)));
          }
        } else {
          String lookalike = lookalike(lower);
          if (lookalike != null && reported.add("name " + lower)) {
            drift.add(new Drift(Drift.Kind.HEADER_NAME, where, "header '" + lower + "' looks like " + lookalike
                + ", but the codec writes " + sorted(codecHeaders)));
          }
        }
      }
    }
  }

  private String knownValues(String header) {
    Set<String> values = stampedValues.getOrDefault(header, Set.of());
    return values.size() <= 12 ? " (stamped values: " + sorted(values) + ")" : "";
  }

  /** What a non-codec header seems to carry, or {@code null} if it does not look like a flag header. */
  private String lookalike(String header) {
    for (FlagRoute route : routes) {
      String key = route.key().toLowerCase(Locale.ROOT);
      if (header.equals(key) || header.endsWith("-" + key) || header.endsWith("_" + key)
          || header.endsWith("." + key)) {
        return "the header of flag '" + route.key() + "'";
      }
    }
    return header.contains("flag") || header.contains("feature") ? "a flag header" : null;
  }

  private void checkDestinations(MeshRouteEvaluator mesh, List<Drift> drift) {
    if (mesh.format() == MeshFormat.ISTIO) {
      for (IstioTable.VirtualService vs : mesh.istio().virtualServices) {
        for (MeshRule rule : vs.rules()) {
          for (MeshDestination d : rule.destinations()) {
            if (d.subset() != null
                && !mesh.istio().subsets(d.host(), vs.resource().namespace()).containsKey(d.subset())) {
              drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, rule.resource() + " rule '" + rule.name() + "'",
                  "routes to subset '" + d.subset() + "' of host '" + d.host()
                      + "', which no DestinationRule defines (Istio answers 503)"));
            }
          }
        }
      }
      return;
    }
    Map<ServiceName, Map<String, String>> services = mesh.gateway().serviceSelectors;
    if (services.isEmpty()) {
      return;
    }
    for (GatewayTable.Route route : mesh.gateway().routes) {
      for (MeshRule rule : route.rules()) {
        for (MeshDestination d : rule.destinations()) {
          ServiceName backend = ServiceName.parse(d.host(), route.resource().namespace());
          if (services.keySet().stream().noneMatch(s -> s.sameAs(backend))) {
            drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, rule.resource() + " rule '" + rule.name() + "'",
                "routes to Service '" + d.host() + "', which the given files do not define"));
          }
        }
      }
    }
  }

  private void checkShadowing(MeshRouteEvaluator mesh, List<Drift> drift) {
    if (mesh.format() == MeshFormat.ISTIO) {
      for (IstioTable.VirtualService vs : mesh.istio().virtualServices) {
        List<MeshRule> rules = vs.rules();
        for (int j = 1; j < rules.size(); j++) {
          MeshRule later = rules.get(j);
          MeshRule shadow = istioShadow(rules.subList(0, j), later);
          if (shadow != null) {
            drift.add(new Drift(Drift.Kind.SHADOWED, later.resource() + " rule '" + later.name() + "'",
                "can never match: rule '" + shadow.name() + "' comes first and matches every request it does"));
          }
        }
      }
      return;
    }
    Set<String> reported = new HashSet<>();
    for (GatewayTable.Route route : mesh.gateway().routes) {
      for (ServiceName parent : route.parents()) {
        List<GatewayTable.Ranked> ranked = mesh.gateway().rankedFor(
            parent.namespace() == null ? parent.name() : parent.name() + "." + parent.namespace(), route.grpc());
        Map<MeshRule, MeshRule> shadowedBy = new LinkedHashMap<>();
        Set<MeshRule> reachable = new HashSet<>();
        for (int p = 0; p < ranked.size(); p++) {
          GatewayTable.Ranked candidate = ranked.get(p);
          MeshRule shadow = null;
          for (int q = 0; q < p && shadow == null; q++) {
            if (candidate.match().implies(ranked.get(q).match())) {
              shadow = ranked.get(q).rule();
            }
          }
          if (shadow == null) {
            reachable.add(candidate.rule());
          } else {
            shadowedBy.putIfAbsent(candidate.rule(), shadow);
          }
        }
        shadowedBy.forEach((rule, shadow) -> {
          if (!reachable.contains(rule) && reported.add(rule.resource() + "/" + rule.name())) {
            drift.add(new Drift(Drift.Kind.SHADOWED, rule.resource() + " rule '" + rule.name() + "'",
                "never wins: rule '" + shadow.name() + "' of " + shadow.resource()
                    + " ranks before it and matches every request it does"));
          }
        });
      }
    }
  }

  /** The earlier rule that matches whatever {@code later} matches, or {@code null}. */
  private static MeshRule istioShadow(List<MeshRule> earlier, MeshRule later) {
    for (MeshRule rule : earlier) {
      if (rule.matches().isEmpty()) {
        return rule;
      }
    }
    if (later.matches().isEmpty()) {
      return null;
    }
    MeshRule first = null;
    for (MeshRule.Match match : later.matches()) {
      MeshRule covering = null;
      for (MeshRule rule : earlier) {
        if (rule.matches().stream().anyMatch(match::implies)) {
          covering = rule;
          break;
        }
      }
      if (covering == null) {
        return null;
      }
      first = first == null ? covering : first;
    }
    return first;
  }

  /** Every combination of the plan's flags' variants, or one flag at a time if there are too many. */
  private List<FlagContext> contexts(ServicePlan plan) {
    long combinations = 1;
    for (FlagRoute flag : plan.flags) {
      combinations = Math.min(combinations * flag.variants().size(), MAX_REQUESTS_PER_SERVICE + 1L);
    }
    List<FlagContext> contexts = new ArrayList<>();
    if (combinations <= MAX_REQUESTS_PER_SERVICE) {
      enumerate(plan.flags, 0, FlagContext.builder(routes).fillDefaults(FlagDecision.MISSING).build(), contexts);
    } else {
      FlagContext defaults = FlagContext.builder(routes).fillDefaults(FlagDecision.MISSING).build();
      contexts.add(defaults);
      for (FlagRoute flag : plan.flags) {
        for (String variant : flag.variants().keySet()) {
          if (!variant.equals(flag.defaultVariant()) && contexts.size() < MAX_REQUESTS_PER_SERVICE) {
            contexts.add(defaults.toBuilder().relayed(flag.key(), variant).build());
          }
        }
      }
    }
    return contexts;
  }

  private static void enumerate(List<FlagRoute> flags, int index, FlagContext context, List<FlagContext> out) {
    if (index == flags.size()) {
      out.add(context);
      return;
    }
    FlagRoute flag = flags.get(index);
    for (String variant : flag.variants().keySet()) {
      enumerate(flags, index + 1, variant.equals(flag.defaultVariant()) ? context
          : context.toBuilder().relayed(flag.key(), variant).build(), out);
    }
  }

  private static long active(ServicePlan plan, FlagContext context) {
    return plan.flags.stream().filter(f -> context.variant(f.key()) != null
        && !context.variant(f.key()).equals(f.defaultVariant())).count();
  }

  private static String describe(ServicePlan plan, FlagContext context) {
    if (context.isEmpty()) {
      return "no flag headers";
    }
    List<String> parts = new ArrayList<>();
    for (FlagRoute flag : plan.flags) {
      parts.add(flag.key() + "=" + context.variant(flag.key()));
    }
    return String.join(", ", parts);
  }

  private static String sorted(Set<String> values) {
    return new TreeSet<>(values).toString();
  }
}
