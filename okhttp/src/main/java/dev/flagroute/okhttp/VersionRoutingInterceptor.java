package dev.flagroute.okhttp;

import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.direct.VersionTarget;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp application interceptor that routes without a mesh: a call to a service the routes
 * steer ({@code http://reviews:9080/...}) goes to the address of the version its flags route to
 * ({@code http://reviews-v2:9080/...} by the default naming rule). When that version has no
 * instance (see {@link VersionRouting}) the call is made once more to the stable version, and the
 * fallback is counted. Use it beside {@link FlagStampingInterceptor}, so that the next hop still
 * receives the flags. Register it with {@code addInterceptor}, not as a network interceptor, which
 * may not change the host.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(new FlagStampingInterceptor(router.codec()))
 *     .addInterceptor(new VersionRoutingInterceptor(VersionRouting.of(router.routes(), VersionAddresses.defaults())))
 *     .build();
 * }</pre>
 *
 * <p>The flags are the request's {@code FlagContext} tag if it has one, else the current context,
 * as for stamping.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class VersionRoutingInterceptor implements Interceptor {
  private final VersionRouting routing;

  /** Routes by {@code routing}. */
  public VersionRoutingInterceptor(VersionRouting routing) {
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    FlagContext tagged = request.tag(FlagContext.class);
    FlagContext context = tagged != null ? tagged : FlagContext.current();
    Optional<VersionTarget> routed = routing.target(request.url().host(), context);
    if (routed.isEmpty()) {
      return chain.proceed(request);
    }
    VersionTarget target = routed.get();
    try {
      return chain.proceed(to(request, target));
    } catch (IOException e) {
      if (target.isStable() || !VersionRouting.isNoInstance(e)) {
        throw e;
      }
      return chain.proceed(to(request, routing.fallBack(target, e)));
    }
  }

  private static Request to(Request request, VersionTarget target) {
    HttpUrl url = request.url();
    HttpUrl moved = url.newBuilder().host(target.address().host()).port(target.address().port(url.port())).build();
    return request.newBuilder().url(moved).build();
  }
}
