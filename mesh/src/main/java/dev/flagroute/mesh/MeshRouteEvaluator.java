package dev.flagroute.mesh;

import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "which rule, and so which subset or backend, would the mesh pick for this request?"
 * for the routing documents of one {@link MeshFormat}, generated or hand-written, with that
 * format's own semantics (see each format's constant). Parse once, evaluate many: instances are
 * immutable and thread-safe, and regexes run in linear time (RE2).
 *
 * <pre>{@code
 * MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(Files.readString(path), path.toString());
 * MeshRoute route = mesh.route("reviews", MeshRequest.of(Map.of("x-flag-checkout", "v2"))).orElseThrow();
 * route.primary().subset(); // "v2"
 * }</pre>
 */
public final class MeshRouteEvaluator {
  private static final int MAX_CACHED_SERVICES = 4096;
  private static final String SOURCE = "mesh rules";

  private final MeshFormat format;
  private final RuleTable table;
  private final Map<String, ServiceRules> services = new ConcurrentHashMap<>();

  private MeshRouteEvaluator(MeshFormat format, RuleTable table) {
    this.format = format;
    this.table = table;
  }

  /**
   * An evaluator for the routing documents among {@code documents} (other kinds are ignored),
   * whose format is told by their kinds (the first of {@link MeshFormat#all()} when they hold none).
   *
   * @throws InvalidMeshException if a routing document cannot be evaluated, or the documents mix
   *     the routing documents of several formats
   */
  public static MeshRouteEvaluator of(List<? extends Map<String, ?>> documents) {
    return of(detect(documents, SOURCE), documents, SOURCE);
  }

  /**
   * An evaluator for the documents of {@code format} among {@code documents}.
   *
   * @throws InvalidMeshException if a routing document cannot be evaluated
   */
  public static MeshRouteEvaluator of(MeshFormat format, List<? extends Map<String, ?>> documents) {
    return of(format, documents, SOURCE);
  }

  /**
   * Reads {@code yaml} and evaluates its routing documents, whose format is told by their kinds.
   *
   * @param source names the text in error messages, e.g. a file name
   * @throws InvalidMeshException if the text is not YAML, its rules cannot be evaluated, or it
   *     mixes the routing documents of several formats
   */
  public static MeshRouteEvaluator parse(String yaml, String source) {
    List<Map<String, Object>> documents = MeshYaml.read(yaml, source);
    return of(detect(documents, source), documents, source);
  }

  static MeshRouteEvaluator of(MeshFormat format, List<? extends Map<String, ?>> documents, String source) {
    List<String> problems = new ArrayList<>();
    RuleTable table = format.rules().read(Resource.all(documents, problems));
    if (!problems.isEmpty()) {
      throw new InvalidMeshException(source, problems);
    }
    return new MeshRouteEvaluator(format, table);
  }

  /** The one format whose routing documents {@code documents} hold (the first format when they hold none). */
  private static MeshFormat detect(List<? extends Map<String, ?>> documents, String source) {
    List<MeshFormat> found = MeshFormat.in(Resource.all(documents, new ArrayList<>()));
    if (found.size() > 1) {
      List<String> formats = found.stream()
          .map(f -> f.id() + " rules (" + ResourceKind.anyOf(f.rules().routingKinds()) + ")").toList();
      throw new InvalidMeshException(source, List.of("the documents mix " + String.join(" and ", formats)
          + "; evaluate each format on its own with of(MeshFormat, documents)"));
    }
    return found.isEmpty() ? MeshFormat.all().get(0) : found.get(0);
  }

  /** The format this evaluator reads. */
  public MeshFormat format() {
    return format;
  }

  /**
   * Whether some rule names {@code service}: a VirtualService host, a route's parent Service, a
   * ServiceRouter's service or a TrafficSplit's root Service.
   */
  public boolean routes(String service) {
    return table.routes(service);
  }

  /**
   * The rule the mesh picks for {@code request} to {@code service} ({@code reviews},
   * {@code reviews.shop} or a full host name), or empty if no rule matches and the mesh would
   * route by its defaults. Where the documents themselves say where unmatched requests go, that is
   * a route too, named in parentheses: Consul's {@code (default subset)} of the service's
   * ServiceResolver, SMI's {@code (root Service)} of its TrafficSplit.
   */
  public Optional<MeshRoute> route(String service, MeshRequest request) {
    return rulesFor(service).hit(request).map(hit -> hit.rule().toRoute());
  }

  /** The rules read. */
  RuleTable table() {
    return table;
  }

  private ServiceRules rulesFor(String service) {
    ServiceRules rules = services.get(service);
    if (rules == null) {
      rules = table.rulesFor(service);
      if (services.size() < MAX_CACHED_SERVICES) {
        services.putIfAbsent(service, rules);
      }
    }
    return rules;
  }
}
