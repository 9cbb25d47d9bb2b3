package dev.flagroute.servlet;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A servlet filter that puts flag routing in front of a servlet application. For each request it
 * decides the flags once with a {@link FlagRouter} (edge or relay) and, for the whole request,
 * including async dispatches, {@code AsyncContext.start} tasks and error dispatches:
 *
 * <ul>
 *   <li>makes the decision the current {@link FlagContext}, so that outbound calls stamp it;
 *   <li>sets the OpenFeature transaction context to the request's evaluation context, when the app
 *       configured a transaction context propagator, so in-app evaluations see the same user;
 *   <li>puts the variants in the SLF4J MDC ({@code flagroute} by default);
 *   <li>shows the application decided flag headers and hides dropped inbound ones;
 *   <li>stores the decision as request attribute {@link #FLAG_CONTEXT_ATTRIBUTE}.
 * </ul>
 *
 * All of it is removed from the container thread when the dispatch ends, and how the request
 * ended (a status from 500 to 599, an exception or an async error is a failure; a 4xx never) is
 * reported once to {@link FlagRouter#completed}, for per-variant health and the rollout guard.
 * Bad inbound headers and
 * router failures never fail a request: headers are dropped and counted, flags take defaults.
 * Counting, caching and misroute detection belong to the router: configure them on the
 * {@link FlagRouter} passed in. Threads the application starts itself carry the decision only
 * through {@code FlagExecutors} or {@code FlagContext.wrap}.
 *
 * <p>Register it for every dispatcher type, with async support, before filters that make outbound
 * calls; {@link #register(ServletContext, String)} does that:
 *
 * <pre>{@code
 * FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(client).build();
 * FlagRoutingFilter.builder(router)
 *     .targetingKey(TargetingKeySource.header("x-user-id"))
 *     .build()
 *     .register(servletContext, "flagroute");
 * }</pre>
 *
 * <p>In {@code web.xml}, declare this class with the init parameters listed in
 * {@link #init(FilterConfig)}, {@code <async-supported>true</async-supported>} and the dispatchers
 * {@code REQUEST}, {@code ASYNC}, {@code ERROR}, {@code FORWARD} and {@code INCLUDE}.
 */
public final class FlagRoutingFilter implements Filter {
  /** Request attribute holding the request's decided {@link FlagContext}. */
  public static final String FLAG_CONTEXT_ATTRIBUTE = FlagContext.class.getName();
  /**
   * Servlet-context attribute holding the {@code RoutingCounters} of a filter configured by init
   * parameters: decisions and dropped inbound headers by reason.
   */
  public static final String COUNTERS_ATTRIBUTE = "dev.flagroute.observe.RoutingCounters";

  private volatile RequestRouting routing;

  /** A filter configured by the init parameters of {@link #init(FilterConfig)}, as in {@code web.xml}. */
  public FlagRoutingFilter() {}

  private FlagRoutingFilter(RequestRouting routing) {
    this.routing = routing;
  }

  /** Starts a filter that routes with {@code router}; init parameters are then ignored. */
  public static Builder builder(FlagRouter router) {
    return new Builder(router);
  }

  /**
   * Configures a filter made with the no-argument constructor from these init parameters; does
   * nothing for a filter made with {@link #builder(FlagRouter)}.
   *
   * <table>
   *   <caption>Init parameters</caption>
   *   <tr><th>name</th><th>value</th></tr>
   *   <tr><td>{@code routes}</td><td>path of the YAML or JSON routes file (required; needs
   *       {@code org.snakeyaml:snakeyaml-engine})</td></tr>
   *   <tr><td>{@code mode}</td><td>{@code edge} or {@code relay} (required)</td></tr>
   *   <tr><td>{@code openfeature-domain}</td><td>edge only: the client is
   *       {@code OpenFeatureAPI.getInstance().getClient(domain)}; the default domain if absent</td></tr>
   *   <tr><td>{@code codec}</td><td>{@code per-flag} (default), {@code combined} or {@code baggage}</td></tr>
   *   <tr><td>{@code header-prefix}</td><td>per-flag header prefix, default {@code x-flag-}</td></tr>
   *   <tr><td>{@code header-name}</td><td>combined header name, default {@code x-flags}</td></tr>
   *   <tr><td>{@code baggage-prefix}</td><td>baggage member prefix, default {@code flag.}</td></tr>
   *   <tr><td>{@code targeting-key}</td><td>{@code header:<name>}, {@code cookie:<name>},
   *       {@code principal}, {@code class:<TargetingKeySource with a public no-argument
   *       constructor>} or {@code none} (default)</td></tr>
   *   <tr><td>{@code attribute-headers}</td><td>evaluation attributes from headers,
   *       {@code tenant=x-tenant-id, plan=x-plan}; they are cache-key attributes too</td></tr>
   *   <tr><td>{@code cache-enabled}, {@code cache-size}, {@code cache-ttl},
   *       {@code cache-key-attributes}, {@code cache-ignored-attributes}</td><td>the edge decision
   *       cache (on, 10000 entries, 1m; keyed on every attribute but the ignored ones)</td></tr>
   *   <tr><td>{@code deadline}</td><td>the longest wait for the provider, e.g. {@code 50ms}</td></tr>
   *   <tr><td>{@code evaluate-missing}</td><td>relay: evaluate flags no header carries</td></tr>
   *   <tr><td>{@code report-foreign-headers}</td><td>count flag headers the router never uses (at the
   *       edge, any a client sent; at a relay, unknown flags): {@code false} (default) or
   *       {@code true}, which costs a look at every header name per request</td></tr>
   *   <tr><td>{@code max-flags}, {@code max-value-length}, {@code max-header-length}</td><td>bounds
   *       on inbound flag headers (64, 256, 8192)</td></tr>
   *   <tr><td>{@code override-secret-file}, {@code override-header}, {@code override-max-ttl},
   *       {@code override-audience}, {@code override-accept-unbound}</td><td>edge: signed override
   *       tokens</td></tr>
   *   <tr><td>{@code service-name}, {@code service-version}</td><td>misroute detection</td></tr>
   *   <tr><td>{@code shadow-header}</td><td>relay: the header marking a shadow (a mirrored copy),
   *       default {@code x-flagroute-shadow}</td></tr>
   *   <tr><td>{@code guard-flags}, {@code guard-failure-ratio}, {@code guard-min-requests},
   *       {@code guard-margin}, {@code guard-window}, {@code guard-cool-down},
   *       {@code guard-probe-share}, {@code guard-probe-requests}</td><td>edge: the rollout
   *       guard (off unless {@code guard-flags} lists flags)</td></tr>
   *   <tr><td>{@code verdicts-flags}, {@code verdicts-alpha}, {@code verdicts-min-requests},
   *       {@code verdicts-error-difference}, {@code verdicts-slow-share-difference},
   *       {@code verdicts-slow-quantile}, {@code verdicts-calibration-requests},
   *       {@code verdicts-hold-back-worse}</td><td>edge: verdicts for the listed flags and every
   *       ramped flag</td></tr>
   *   <tr><td>{@code transaction-context}</td><td>{@code true} (default) or {@code false}</td></tr>
   *   <tr><td>{@code debug-header}</td><td>response header listing decisions; off if absent</td></tr>
   *   <tr><td>{@code mdc-key}</td><td>MDC key, default {@code flagroute}; empty turns it off</td></tr>
   * </table>
   *
   * The router's settings are parsed by core's {@code RoutingSettings}, so they mean the same as the
   * Spring properties of the same names. The router counts into a {@code RoutingCounters}
   * published as {@link #COUNTERS_ATTRIBUTE}.
   *
   * @throws ServletException naming the filter and the bad or missing parameter
   */
  @Override
  public void init(FilterConfig config) throws ServletException {
    if (routing != null) {
      return;
    }
    InitParameters.Configured configured = InitParameters.configure(config.getFilterName(), config::getInitParameter,
        config.getInitParameterNames());
    routing = configured.builder().routing();
    config.getServletContext().setAttribute(COUNTERS_ATTRIBUTE, configured.counters());
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    RequestRouting routing = this.routing;
    if (routing == null) {
      throw new IllegalStateException("FlagRoutingFilter used before init(FilterConfig)");
    }
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
      chain.doFilter(request, response);
      return;
    }
    RequestFlags flags = http.getAttribute(RequestFlags.ATTRIBUTE) instanceof RequestFlags earlier ? earlier : null;
    boolean first = flags == null;
    long started = System.nanoTime();
    if (first) {
      flags = routing.decide(http);
      http.setAttribute(RequestFlags.ATTRIBUTE, flags);
      http.setAttribute(FLAG_CONTEXT_ATTRIBUTE, flags.flags());
      routing.writeDebugHeader(httpResponse, flags.flags());
    }
    HttpServletRequest wrapped = routing.wrap(http, response, flags);
    boolean thrown = true;
    try (FlagScope ignored = routing.bind(flags)) {
      chain.doFilter(wrapped, response);
      thrown = false;
    } finally {
      if (first) {
        // the request's outcome, once: now, or when its async processing completes
        routing.completed(http, httpResponse, flags, started, thrown);
      }
    }
  }

  /**
   * Adds this filter to {@code context} under {@code filterName}, mapped to {@code /*} for every
   * dispatcher type, before filters declared in {@code web.xml}, with async support.
   */
  public FilterRegistration.Dynamic register(ServletContext context, String filterName) {
    FilterRegistration.Dynamic registration = context.addFilter(filterName, this);
    if (registration == null) {
      throw new IllegalStateException("a filter named '" + filterName + "' is already registered");
    }
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    return registration;
  }

  /** Configures a {@link FlagRoutingFilter}. */
  public static final class Builder {
    private final FlagRouter router;
    private TargetingKeySource targetingKey = TargetingKeySource.none();
    private final Map<String, String> headerAttributes = new LinkedHashMap<>();
    private BiConsumer<HttpServletRequest, MutableContext> attributes;
    private OpenFeatureAPI openFeature;
    private boolean transactionContext = true;
    private String debugHeader;
    private String mdcKey = "flagroute";

    private Builder(FlagRouter router) {
      this.router = Objects.requireNonNull(router, "router");
    }

    /** Where the targeting key comes from; {@link TargetingKeySource#none()} by default. */
    public Builder targetingKey(TargetingKeySource source) {
      this.targetingKey = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Adds evaluation attribute {@code attribute} with the value of header {@code header}, when the
     * request has it (blank values and values over 1024 chars are skipped). The router's decision
     * cache keys on every attribute a request carries, so a request's header cannot pin its
     * decision on other requests of its user; declare the attribute with the router's
     * {@code cacheKeyAttributes} for the cheapest key.
     */
    public Builder attributeFromHeader(String attribute, String header) {
      headerAttributes.put(Objects.requireNonNull(attribute, "attribute"), Objects.requireNonNull(header, "header"));
      return this;
    }

    /**
     * Adds attributes to each request's evaluation context, after the targeting key and header
     * attributes; they are part of the router's cache key unless the router declares them ignored
     * ({@code cacheIgnoredAttributes}). If it throws, the request's flags take their defaults
     * (relayed ones are kept).
     */
    public Builder attributes(BiConsumer<HttpServletRequest, MutableContext> callback) {
      this.attributes = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /**
     * The OpenFeature API whose transaction context carries each request's evaluation context;
     * {@link OpenFeatureAPI#getInstance()} by default. Use the API the router's client came from.
     */
    public Builder openFeature(OpenFeatureAPI api) {
      this.openFeature = Objects.requireNonNull(api, "api");
      return this;
    }

    /**
     * Whether to set the OpenFeature transaction context for each request (default {@code true}).
     * It is set only while the API has a propagator other than the SDK's no-op default, such as
     * {@code ThreadLocalTransactionContextPropagator}, and restored when the dispatch ends.
     */
    public Builder transactionContext(boolean enabled) {
      this.transactionContext = enabled;
      return this;
    }

    /**
     * Adds response header {@code name} listing each flag's variant, source and reason, e.g.
     * {@code checkout=v2;source=evaluated;reason=TARGETING_MATCH}. Off by default: it shows
     * callers how they were routed, so enable it only where that is acceptable.
     */
    public Builder debugHeader(String name) {
      this.debugHeader = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The MDC key of the variants during a request ({@code flagroute} by default); {@code null} for none. */
    public Builder mdcKey(String key) {
      this.mdcKey = key;
      return this;
    }

    /** Builds the filter. */
    public FlagRoutingFilter build() {
      return new FlagRoutingFilter(routing());
    }

    RequestRouting routing() {
      OpenFeatureAPI api = transactionContext ? (openFeature != null ? openFeature : OpenFeatureAPI.getInstance()) : null;
      return new RequestRouting(router, targetingKey, headerAttributes, attributes, debugHeader,
          new ThreadBinder(mdcKey, api), mdcKey != null);
    }
  }
}
