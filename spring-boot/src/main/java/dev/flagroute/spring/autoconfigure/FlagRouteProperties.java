package dev.flagroute.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * The {@code flagroute.*} configuration: the routes, how this service routes (edge or relay), how
 * flags travel in headers, and which parts of the request path take part.
 *
 * @param enabled Whether flag routing is auto-configured at all.
 * @param mode How this service routes: 'edge' (outside traffic arrives here; inbound flag headers
 *     are dropped and every flag is evaluated through OpenFeature) or 'relay' (mesh-internal;
 *     stamped variants are kept). Required.
 * @param routes Routing flags defined inline. Use either this or 'flagroute.routes-file'.
 * @param routesFile A YAML or JSON file of routing flags, such as 'classpath:flagroutes.yaml'. Use
 *     either this or 'flagroute.routes'.
 * @param evaluateMissing In relay mode, whether flags no inbound header carries are evaluated
 *     through OpenFeature instead of taking their default variant.
 * @param reportForeignHeaders Whether metrics and listeners hear of flag headers the router never
 *     uses: at the edge, flag headers and shadow markers a client sent (dropped as UNTRUSTED); at a
 *     relay, headers naming flags the routes do not know (UNKNOWN_FLAG). Off by default: finding
 *     them takes a look at every inbound header name on every request.
 * @param attributeHeaders Evaluation-context attributes read from request headers, attribute name to
 *     header name, such as {tenant: x-tenant-id}. They are part of the decision cache's key too.
 * @param skipActuator Whether inbound routing leaves actuator requests alone (paths under
 *     'management.endpoints.web.base-path', or every request on 'management.server.port' when it
 *     differs from the server's), so that probes never count as routing decisions.
 * @param deadline The longest a request waits for the OpenFeature provider; unbounded when unset.
 *     A request that runs out of time takes every flag's default variant.
 * @param cache The cache of edge decisions.
 * @param override Signed override tokens that let testers force variants at the edge.
 * @param service This service's own name and version, to detect misrouted requests.
 * @param shadow How mirrored copies of requests (dark launches) are recognised and marked.
 * @param header How flags travel in headers.
 * @param limits Bounds on inbound flag headers.
 * @param targetingKey Where the OpenFeature targeting key of inbound requests comes from.
 * @param openfeature Which OpenFeature client decides flags when the application has no Client bean.
 * @param servlet Inbound routing for servlet applications (Spring MVC).
 * @param webflux Inbound routing for reactive applications (Spring WebFlux).
 * @param outbound Which outbound clients stamp the current flags.
 * @param propagation How the current flags follow work to other threads.
 * @param metrics Micrometer metrics of routing.
 * @param guard The rollout guard (edge only): stops deciding a failing non-default variant.
 * @param verdicts Verdicts (edge only): each variant of the listed flags, and of every flag whose
 *     routes declare a ramp, compared with its flag's default on errors and latency.
 * @param tracing The request's flags in tracing: Micrometer Tracing baggage and span tags, and
 *     flags on OpenTelemetry spans with flagroute-opentelemetry on the class path.
 */
@ConfigurationProperties("flagroute")
public record FlagRouteProperties(
    @DefaultValue("true") boolean enabled,
    Mode mode,
    @DefaultValue List<Route> routes,
    Resource routesFile,
    @DefaultValue("false") boolean evaluateMissing,
    @DefaultValue("false") boolean reportForeignHeaders,
    @DefaultValue Map<String, String> attributeHeaders,
    @DefaultValue("true") boolean skipActuator,
    Duration deadline,
    @DefaultValue Cache cache,
    @DefaultValue Overrides override,
    @DefaultValue Service service,
    @DefaultValue Shadow shadow,
    @DefaultValue Header header,
    @DefaultValue Limits limits,
    @DefaultValue TargetingKey targetingKey,
    @DefaultValue OpenFeature openfeature,
    @DefaultValue Servlet servlet,
    @DefaultValue WebFlux webflux,
    @DefaultValue Outbound outbound,
    @DefaultValue Propagation propagation,
    @DefaultValue Metrics metrics,
    @DefaultValue Guard guard,
    @DefaultValue Verdicts verdicts,
    @DefaultValue Tracing tracing) {

  /** Whether a service decides flags or carries decisions made upstream. */
  public enum Mode {
    /** Outside traffic arrives here: drop inbound flag headers and evaluate every flag. */
    EDGE,
    /** Mesh-internal: keep stamped variants exactly, default the rest. */
    RELAY
  }

  /** How flags are written into headers. */
  public enum Codec {
    /** One header per flag: {@code x-flag-<key>: <variant>}. */
    PER_FLAG,
    /** One combined header: {@code x-flags: checkout=v2,search=on}. */
    COMBINED,
    /** W3C baggage members {@code flag.<key>=<variant>}, keeping other members. */
    BAGGAGE
  }

  /** Where the OpenFeature targeting key of an inbound request comes from. */
  public enum TargetingKeySource {
    /** No targeting key: requests are evaluated anonymously. */
    NONE,
    /** The header named by {@code flagroute.targeting-key.name}. */
    HEADER,
    /** The cookie named by {@code flagroute.targeting-key.name}. */
    COOKIE,
    /** The name of the authenticated principal. */
    PRINCIPAL
  }

  /**
   * One routing flag.
   *
   * @param flag The OpenFeature flag key; it becomes part of the header name.
   * @param service The mesh service (host) whose traffic this flag steers, such as 'reviews'.
   * @param defaultVariant The stable variant every request gets when nothing else decides.
   * @param variants Each variant mapped to the version label of the workloads that serve it, such
   *     as {v1: v1, v2: v2}.
   */
  public record Route(String flag, String service, String defaultVariant, Map<String, String> variants) {}

  /**
   * The cache of edge decisions: one entry per targeting key (and key attributes), holding every
   * flag's decision. Cleared when the provider reports a configuration change.
   *
   * @param enabled Whether decisions are cached.
   * @param size The most decisions kept.
   * @param ttl How long a decision is kept.
   * @param keyAttributes The evaluation-context attributes the routing flags' targeting reads,
   *     besides the targeting key; they are part of the cache key.
   * @param ignoredAttributes Evaluation-context attributes declared irrelevant to routing, left out
   *     of the cache key. Every other attribute a request's context carries is part of the key, so
   *     that no attribute can pin one request's decision on others; name here the ones routing
   *     never reads, such as a request id. Never the targeting key, nor a key or header attribute.
   */
  public record Cache(@DefaultValue("true") boolean enabled, @DefaultValue("10000") long size,
      @DefaultValue("1m") Duration ttl, @DefaultValue List<String> keyAttributes,
      @DefaultValue List<String> ignoredAttributes) {}

  /**
   * Signed override tokens ({@code java -jar flagroute-core.jar token} mints them), which force
   * variants for testers at the edge. Off unless a secret is set.
   *
   * @param secret The HMAC secret tokens are signed with, at least 32 bytes. Keep it out of source
   *     control, e.g. in an environment variable. Use either this or 'secret-file'.
   * @param secretFile A file holding the HMAC secret (at most 4 KiB, surrounding whitespace ignored),
   *     such as a mounted Kubernetes secret. Use either this or 'secret'.
   * @param header The request header carrying a token.
   * @param maxTtl The longest lifetime a token is accepted with.
   * @param audience This edge's audience, a service name such as 'frontend': tokens minted for
   *     another audience are rejected, and so are unbound tokens unless 'accept-unbound' is set.
   *     When unset, tokens bound to any audience are rejected and unbound tokens accepted.
   * @param acceptUnbound With an audience set, whether tokens bound to no audience are accepted too.
   */
  public record Overrides(String secret, String secretFile, @DefaultValue("x-flagroute-override") String header,
      @DefaultValue("1d") Duration maxTtl, String audience, @DefaultValue("false") boolean acceptUnbound) {
    /** Hides the secret. */
    @Override
    public String toString() {
      return "Overrides[secret=" + (secret == null || secret.isEmpty() ? "not set" : "(set)") + ", secretFile="
          + secretFile + ", header=" + header + ", maxTtl=" + maxTtl + ", audience=" + audience + ", acceptUnbound=" + acceptUnbound + "]";
    }
  }

  /**
   * This service instance's identity: with both set, a relayed request whose variants the mesh
   * should have sent to another version is counted as a misroute.
   *
   * @param name This service's mesh name, as in the routes' 'service'.
   * @param version This instance's version label, as in the routes' variants.
   */
  public record Service(String name, String version) {}

  /**
   * Shadows: mirrored copies of requests (dark launches). A relay takes a request for a shadow when
   * its authority ends in '-shadow' (as Envoy mirrors) or it carries the marker header; calls made
   * from a shadow carry the marker. Skip side effects when 'FlagContext.current().isShadow()'.
   *
   * @param header The header marking a shadow; the same on every service. The edge never trusts it.
   */
  public record Shadow(@DefaultValue("x-flagroute-shadow") String header) {}

  /**
   * How flags travel in headers.
   *
   * @param codec The header codec. The mesh rules generated from the routes must use the same one.
   * @param prefix Header name prefix of the per-flag codec; 'x-flag-' when unset.
   * @param name Header name of the combined codec; 'x-flags' when unset.
   * @param memberPrefix Member prefix of the baggage codec; 'flag.' when unset.
   */
  public record Header(@DefaultValue("per-flag") Codec codec, String prefix, String name, String memberPrefix) {}

  /**
   * Bounds on what is read from inbound flag headers; anything beyond is dropped and counted.
   *
   * @param maxFlags The most flags read from one request.
   * @param maxValueLength The longest variant value read, in characters.
   * @param maxHeaderLength The longest flag header value read, in characters.
   */
  public record Limits(@DefaultValue("64") int maxFlags, @DefaultValue("256") int maxValueLength,
      @DefaultValue("8192") int maxHeaderLength) {}

  /**
   * The OpenFeature targeting key of inbound requests, used at the edge.
   *
   * @param source Where the targeting key comes from.
   * @param name The header or cookie name, for the 'header' and 'cookie' sources.
   */
  public record TargetingKey(@DefaultValue("none") TargetingKeySource source, String name) {}

  /**
   * The OpenFeature client that decides flags when the application defines no Client bean.
   *
   * @param domain The OpenFeature domain whose client is used; the default provider's when unset.
   */
  public record OpenFeature(String domain) {}

  /**
   * Inbound routing for servlet applications (Spring MVC).
   *
   * @param enabled Whether a servlet filter routes every inbound request.
   * @param order The filter's order: early, so that later filters and handlers see the flags.
   * @param urlPatterns The URL patterns the filter applies to.
   * @param mdcKey The SLF4J MDC key holding the request's variants; empty for none.
   * @param debugHeader A response header listing each flag's variant, source and reason; none when
   *     unset. It shows callers how they were routed: enable it only where that is acceptable.
   */
  public record Servlet(@DefaultValue("true") boolean enabled, @DefaultValue("-105") int order,
      @DefaultValue("/*") List<String> urlPatterns, @DefaultValue("flagroute") String mdcKey, String debugHeader) {}

  /**
   * Inbound routing for reactive applications (Spring WebFlux).
   *
   * @param enabled Whether a WebFilter routes every inbound exchange.
   * @param order The WebFilter's order: early, so that later filters and handlers see the flags.
   */
  public record WebFlux(@DefaultValue("true") boolean enabled, @DefaultValue("-105") int order) {}

  /**
   * Which outbound clients stamp the current flags on every request they send.
   *
   * @param restClient Whether RestClient.Builder beans get a stamping interceptor.
   * @param restTemplate Whether RestTemplateBuilder beans get a stamping interceptor.
   * @param webClient Whether WebClient.Builder beans get a stamping filter.
   * @param feign Whether a Feign RequestInterceptor bean is exposed (Spring Cloud OpenFeign applies it
   *     to every client), when feign-core is on the class path.
   * @param grpc Whether a gRPC ClientInterceptor bean is exposed, when gRPC and flagroute-grpc are
   *     on the class path.
   */
  public record Outbound(@DefaultValue("true") boolean restClient, @DefaultValue("true") boolean restTemplate,
      @DefaultValue("true") boolean webClient, @DefaultValue("true") boolean feign,
      @DefaultValue("true") boolean grpc) {}

  /**
   * How the current flags follow work to other threads.
   *
   * @param taskDecorator Whether a ContextPropagatingTaskDecorator is registered, so that @Async
   *     methods and Boot's task executors run with the submitting thread's flags.
   */
  public record Propagation(@DefaultValue("true") boolean taskDecorator) {}

  /**
   * Micrometer metrics of routing decisions and dropped headers.
   *
   * @param enabled Whether routing metrics are recorded when a MeterRegistry is present.
   */
  public record Metrics(@DefaultValue("true") boolean enabled) {}

  /**
   * The request's flags in tracing.
   *
   * @param enabled Whether each request's flags become Micrometer Tracing baggage, named as the
   *     header codec writes them (such as 'x-flag-checkout'), and tags of its span (such as
   *     'flag.checkout') when a Tracer is present; and whether flagroute-opentelemetry's FlagTraces
   *     listener puts them on OpenTelemetry spans when that module is on the class path.
   */
  public record Tracing(@DefaultValue("true") boolean enabled) {}

  /**
   * The rollout guard, edge only: when a guarded flag's non-default variant fails much more than
   * its default, requests decided for it get the default until probes show it healthy. Per
   * instance, and a safety net next to the flag provider. The defaults are core's GuardPolicy defaults.
   *
   * @param flags The flags to guard; the guard is off when empty.
   * @param failureRatio The share of users with a server-side failure a variant must exceed to trip, above 0
   *     and below 1 (0.5).
   * @param minRequests The fewest distinct users with an outcome in the window before a variant can trip (20);
   *     each user counts once per window, and more than failure-ratio of them must fail.
   * @param margin How much worse than the default variant's failure ratio it must be (0.1).
   * @param window The sliding window users are counted over (30s).
   * @param coolDown How long the default is served before the variant is probed again (30s).
   * @param probeShare The share of the variant's users let through while probing (0.1).
   * @param probeRequests The fewest distinct probing users whose outcomes close the guard (5).
   */
  public record Guard(@DefaultValue List<String> flags, @DefaultValue("0.5") double failureRatio,
      @DefaultValue("20") int minRequests, @DefaultValue("0.1") double margin, @DefaultValue("30s") Duration window,
      @DefaultValue("30s") Duration coolDown, @DefaultValue("0.1") double probeShare,
      @DefaultValue("5") int probeRequests) {}

  /**
   * Verdicts, edge only: each non-default variant of a judged flag compared with the flag's default
   * variant on error ratio and slow-request share by a sequential test that stays valid however
   * often it is read; a ramp rolls back when its variant turns WORSE. Flags whose routes declare a
   * ramp are judged too, with this policy. Per instance. The defaults are core's VerdictPolicy
   * defaults.
   *
   * @param flags The flags to judge, besides those with a ramp; none when empty.
   * @param alpha The bound on each measure's false verdicts, above 0 and at most 0.5 (0.05).
   * @param minRequests The fewest requests on each side before a verdict says anything (1000).
   * @param errorDifference The difference of error ratios the test finds fastest (0.01).
   * @param slowShareDifference The difference of slow-request shares the test finds fastest (0.05).
   * @param slowQuantile The quantile of the default variant's latency above which a request is slow (0.95).
   * @param calibrationRequests The default variant's first requests whose latency quantile becomes the
   *     slow threshold, at least 100 (1000).
   * @param holdBackWorse Whether requests decided for a WORSE variant get the default variant instead.
   */
  public record Verdicts(@DefaultValue List<String> flags, @DefaultValue("0.05") double alpha,
      @DefaultValue("1000") int minRequests, @DefaultValue("0.01") double errorDifference,
      @DefaultValue("0.05") double slowShareDifference, @DefaultValue("0.95") double slowQuantile,
      @DefaultValue("1000") int calibrationRequests, @DefaultValue("false") boolean holdBackWorse) {}
}
