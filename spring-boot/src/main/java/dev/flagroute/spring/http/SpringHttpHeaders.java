package dev.flagroute.spring.http;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpHeaders;

/**
 * Reads flags from and stamps flags on Spring's {@link HttpHeaders}, for the adapters that see
 * requests as Spring types (WebFlux, RestClient, RestTemplate, WebClient).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class SpringHttpHeaders {
  private static final HeaderGetter<HttpHeaders> GETTER = new HeaderGetter<>() {
    @Override
    public String get(HttpHeaders headers, String name) {
      List<String> values = headers.get(name);
      if (values == null || values.isEmpty()) {
        return null;
      }
      return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    @Override
    public Iterable<String> names(HttpHeaders headers) {
      return headers.headerNames();
    }
  };

  private SpringHttpHeaders() {}

  /** A getter over inbound headers; repeated headers are joined with {@code ","}. */
  public static HeaderGetter<HttpHeaders> getter() {
    return GETTER;
  }

  /**
   * Stamps {@code context} on outbound {@code headers}: removes every flag header the caller set
   * and writes the context's (keeping W3C baggage members of other owners). The override-token
   * header is removed in any case ({@link HeaderCodec#strips}); an empty context leaves the other
   * headers untouched.
   */
  public static void stamp(FlagContext context, HttpHeaders headers, HeaderCodec codec) {
    stampInMesh(context, headers, codec);
  }

  /**
   * Stamps {@code context} on the outbound {@code headers} of a call to {@code host} (its URL's
   * host): as {@link #stamp(FlagContext, HttpHeaders, HeaderCodec)} when the host is inside the
   * mesh ({@link HeaderCodec#allowsEgress}); for any other host, stamps nothing and takes out every
   * flag header, override token and shadow marker, the caller's own included
   * ({@link HeaderCodec#withoutFlags}), and the call is reported to the router's listener.
   */
  public static void stamp(FlagContext context, String host, HttpHeaders headers, HeaderCodec codec) {
    if ((!context.hasNothingToStamp() || withoutFlags(headers, codec, false)) && !codec.allowsEgress(host)) {
      withoutFlags(headers, codec, true);
      return;
    }
    stampInMesh(context, headers, codec);
  }

  /** Whether {@code headers} carry flags, tokens or markers ({@link HeaderCodec#withoutFlags}). */
  public static boolean carriesFlags(HttpHeaders headers, HeaderCodec codec) {
    return withoutFlags(headers, codec, false);
  }

  /** Whether {@code headers} carry flags, tokens or markers; when {@code takeOut}, removes them. */
  private static boolean withoutFlags(HttpHeaders headers, HeaderCodec codec, boolean takeOut) {
    boolean found = false;
    for (String name : List.copyOf(headers.headerNames())) {
      String value = GETTER.get(headers, name);
      String kept = codec.withoutFlags(name, value);
      if (!Objects.equals(value, kept)) {
        found = true;
        if (!takeOut) {
          return true;
        }
        if (kept == null) {
          headers.remove(name);
        } else {
          headers.set(name, kept);
        }
      }
    }
    return found;
  }

  private static void stampInMesh(FlagContext context, HttpHeaders headers, HeaderCodec codec) {
    Map<String, String> owned = new HashMap<>();
    for (String name : List.copyOf(headers.headerNames())) {
      if (codec.owns(name) && !context.hasNothingToStamp()) {
        owned.put(name.toLowerCase(Locale.ROOT), GETTER.get(headers, name));
        headers.remove(name);
      } else if (codec.strips(name) && !codec.owns(name)) {
        headers.remove(name);
      }
    }
    if (context.hasNothingToStamp()) {
      return;
    }
    codec.inject(context, headers, new HeaderSetter<>() {
      @Override
      public void set(HttpHeaders carrier, String name, String value) {
        carrier.set(name, value);
      }

      @Override
      public String get(HttpHeaders carrier, String name) {
        return owned.get(name);
      }
    });
  }
}
