package dev.flagroute.demo.app;

import dev.flagroute.context.FlagContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service instance a request went through: the service, the version that served it and the
 * flag variants it saw (relayed from the edge).
 *
 * @param service the service, e.g. {@code reviews}
 * @param version the version label of the instance, e.g. {@code v2}
 * @param flags flag key to variant, as the instance read them from its inbound headers
 */
public record Hop(String service, String version, Map<String, String> flags) {
  /** Copies the flags. */
  public Hop {
    flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
  }

  /** The hop of {@code service} {@code version} seeing the current {@link FlagContext}. */
  public static Hop here(String service, String version) {
    return new Hop(service, version, FlagContext.current().variants());
  }
}
