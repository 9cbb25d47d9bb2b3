package dev.flagroute.okhttp;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp interceptor that stamps the current {@link FlagContext} on every outgoing request to a
 * host inside the mesh ({@link HeaderCodec#allowsEgress}), replacing flag headers the caller set by
 * hand. It removes the override-token header from every request ({@link HeaderCodec#strips});
 * requests made outside any context otherwise pass untouched. Requests to any other host carry no
 * flags at all: flag headers, tokens and markers the caller set are removed too, and each such
 * request is reported to the router's listener.
 * Needs {@code com.squareup.okhttp3:okhttp-jvm} 5.x.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(new FlagStampingInterceptor(router.codec()))
 *     .build();
 * }</pre>
 *
 * <p>Interceptors run on the thread that executes the call. {@code Call.execute()} runs on the
 * caller's thread, where its context is current; {@code Call.enqueue()} runs on OkHttp's dispatcher
 * threads, where it is not. For asynchronous calls, tag the request with its context, which then
 * wins over the thread's: {@code new Request.Builder().tag(FlagContext.class, FlagContext.current())}.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagStampingInterceptor implements Interceptor {
  private final HeaderCodec codec;

  /** Stamps with {@code codec}; use the same codec as the router. */
  public FlagStampingInterceptor(HeaderCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    FlagContext tagged = request.tag(FlagContext.class);
    FlagContext context = tagged != null ? tagged : FlagContext.current();
    Request withoutFlags = context.hasNothingToStamp() ? withoutFlags(request) : null;
    if (withoutFlags == request) {
      return chain.proceed(request);
    }
    if (!codec.allowsEgress(request.url().host())) {
      return chain.proceed(withoutFlags != null ? withoutFlags : withoutFlags(request));
    }
    Request.Builder builder = null;
    for (String name : request.headers().names()) {
      if (codec.strips(name) && (!context.hasNothingToStamp() || !codec.owns(name))) {
        builder = builder == null ? request.newBuilder() : builder;
        builder.removeHeader(name);
      }
    }
    if (context.hasNothingToStamp()) {
      return chain.proceed(builder == null ? request : builder.build());
    }
    builder = builder == null ? request.newBuilder() : builder;
    codec.inject(context, builder, new RequestSetter(request));
    return chain.proceed(builder.build());
  }

  /** {@code request} without flags, tokens and markers ({@link HeaderCodec#withoutFlags}). */
  private Request withoutFlags(Request request) {
    Request.Builder builder = null;
    for (String name : request.headers().names()) {
      String value = String.join(",", request.headers(name));
      String kept = codec.withoutFlags(name, value);
      if (!value.equals(kept)) {
        builder = builder == null ? request.newBuilder() : builder;
        if (kept == null) {
          builder.removeHeader(name);
        } else {
          builder.header(name, kept);
        }
      }
    }
    return builder == null ? request : builder.build();
  }

  /** Writes to the new request, reads what the original request had. */
  private record RequestSetter(Request original) implements HeaderSetter<Request.Builder> {
    @Override
    public void set(Request.Builder carrier, String name, String value) {
      carrier.header(name, value);
    }

    @Override
    public String get(Request.Builder carrier, String name) {
      var values = original.headers(name);
      return values.isEmpty() ? null : String.join(",", values);
    }
  }
}
