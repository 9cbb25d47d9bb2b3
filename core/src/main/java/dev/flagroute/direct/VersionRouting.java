package dev.flagroute.direct;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.observe.VersionFallback;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side routing without a mesh: picks the address of the version a call's flags route to,
 * by the routes' precedence rule ({@link ServiceRoutes#version}) and {@link VersionAddresses}, and
 * moves a call whose version has no instance to the stable version, counted. Thread-safe; share
 * one per set of routes. The OkHttp, {@code java.net.http}, Spring and gRPC modules apply it.
 *
 * <p>A call is routed when its host is the name of a service the routes steer (ignoring case,
 * e.g. {@code http://reviews:9080/...}); every other call passes untouched. A routed call always
 * goes to a version's address, the stable version's too.
 *
 * <p><b>No instance</b> means the call failed before its request was sent because the version's
 * host name did not resolve ({@link UnknownHostException}, {@link UnresolvedAddressException}) or
 * the connection was refused ({@link ConnectException}), anywhere in the cause chain. Timeouts,
 * resets and HTTP errors are not: the version exists, and its failures are its own. Each fallback
 * is counted ({@link #fallbacks()}), told to the listener ({@link RoutingListener#versionFellBack})
 * and logged at WARN at most once a minute per service.
 *
 * <pre>{@code
 * VersionRouting routing = VersionRouting.of(router.routes(), VersionAddresses.defaults());
 * }</pre>
 */
public final class VersionRouting {
  private static final Logger log = LoggerFactory.getLogger(VersionRouting.class);
  private static final long WARN_INTERVAL_MILLIS = 60_000;
  private static final int MAX_CAUSES = 16;

  private final Map<String, ServiceRoutes> servicesByHost;
  private final VersionAddresses addresses;
  private final RoutingListener listener;
  private final Clock clock;
  private final AtomicLong fallbacks = new AtomicLong();
  private final Map<String, AtomicLong> nextWarning = new ConcurrentHashMap<>();

  private VersionRouting(FlagRoutes routes, VersionAddresses addresses, RoutingListener listener, Clock clock) {
    this.addresses = Objects.requireNonNull(addresses, "addresses");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = clock;
    Map<String, ServiceRoutes> byHost = new HashMap<>();
    for (ServiceRoutes service : routes.serviceRoutes()) {
      service.versions().forEach(version -> addresses.address(service.service(), version));
      byHost.put(service.service().toLowerCase(Locale.ROOT), service);
    }
    this.servicesByHost = Map.copyOf(byHost);
  }

  /**
   * Routes the services of {@code routes} to the addresses of their versions.
   *
   * @throws IllegalArgumentException if the naming rule forms no host name for a service's version
   */
  public static VersionRouting of(FlagRoutes routes, VersionAddresses addresses) {
    return of(routes, addresses, RoutingListener.NOOP);
  }

  /** Like {@link #of(FlagRoutes, VersionAddresses)}, telling {@code listener} of each fallback. */
  public static VersionRouting of(FlagRoutes routes, VersionAddresses addresses, RoutingListener listener) {
    return new VersionRouting(Objects.requireNonNull(routes, "routes"), addresses, listener, Clock.systemUTC());
  }

  /**
   * Where a call to {@code host} goes under {@code context}'s flags, or empty when {@code host}
   * names no service the routes steer.
   */
  public Optional<VersionTarget> target(String host, FlagContext context) {
    if (host == null) {
      return Optional.empty();
    }
    ServiceRoutes service = servicesByHost.get(host.toLowerCase(Locale.ROOT));
    if (service == null) {
      return Optional.empty();
    }
    String version = service.version(flag -> context.variant(flag.key()));
    return Optional.of(target(service, version));
  }

  /**
   * The stable version's target for a call to {@code target} that found no instance, counting the
   * fallback, telling the listener and logging a WARN at most once a minute per service.
   *
   * @throws IllegalArgumentException if {@code target} is already the stable version
   */
  public VersionTarget fallBack(VersionTarget target, Throwable cause) {
    if (target.isStable()) {
      throw new IllegalArgumentException("the stable version " + target.version() + " of " + target.service()
          + " has nowhere to fall back to");
    }
    fallbacks.incrementAndGet();
    String why = cause == null ? "no instance" : describe(cause);
    VersionFallback event = new VersionFallback(target.service(), target.version(), target.stableVersion(), why);
    try {
      listener.versionFellBack(event);
    } catch (RuntimeException e) {
      log.debug("routing listener failed on {}", event, e);
    }
    if (mayWarn(target.service())) {
      log.warn("service '{}' version '{}' has no instance ({}); calls routed to it go to the stable version '{}'"
          + " (counted; next warning for this service in a minute at the earliest)", target.service(),
          target.version(), why, target.stableVersion());
    }
    return target(servicesByHost.get(target.service().toLowerCase(Locale.ROOT)), target.stableVersion());
  }

  /** How many calls fell back to a stable version so far. */
  public long fallbacks() {
    return fallbacks.get();
  }

  /** The addresses this routing uses. */
  public VersionAddresses addresses() {
    return addresses;
  }

  /**
   * Whether {@code failure} means the called version has no instance: a host name that did not
   * resolve or a refused connection, anywhere in its first 16 causes.
   */
  public static boolean isNoInstance(Throwable failure) {
    Throwable cause = failure;
    for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
      if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException
          || cause instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private VersionTarget target(ServiceRoutes service, String version) {
    return new VersionTarget(service.service(), version, addresses.address(service.service(), version),
        service.stableVersion());
  }

  private boolean mayWarn(String service) {
    AtomicLong next = nextWarning.computeIfAbsent(service, s -> new AtomicLong(Long.MIN_VALUE));
    long now = clock.millis();
    long due = next.get();
    return now >= due && next.compareAndSet(due, now + WARN_INTERVAL_MILLIS);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String text = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
