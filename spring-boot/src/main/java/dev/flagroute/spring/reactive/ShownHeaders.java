package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.spring.http.SpringHttpHeaders;
import java.util.AbstractMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.util.MultiValueMap;

/**
 * An exchange's inbound headers as the application sees them (see {@link InboundView}), read-only
 * and without copying them: flag headers of any codec and the override token hidden,
 * {@code baggage} without its flag members, and the decided flag headers of the router's codec
 * shown. A header kept as sent is read straight from the inbound headers; the first question about
 * any other header, or about the whole set (names, size, iteration, a copy), builds the shown set,
 * once per exchange. Most exchanges never ask either.
 */
final class ShownHeaders extends AbstractMap<String, List<String>> implements MultiValueMap<String, String> {
  private final HttpHeaders inbound;
  private final InboundView view;
  private final FlagContext flags;
  /** The whole shown set, built on first use; racy but idempotent, so concurrent first uses at worst build it twice. */
  private volatile MultiValueMap<String, String> shown;

  private ShownHeaders(HttpHeaders inbound, InboundView view, FlagContext flags) {
    this.inbound = inbound;
    this.view = view;
    this.flags = flags;
  }

  /** The read-only headers that {@code inbound} shows an application for decided {@code flags}. */
  static HttpHeaders of(HttpHeaders inbound, InboundView view, FlagContext flags) {
    return HttpHeaders.readOnlyHttpHeaders(new ShownHeaders(inbound, view, flags));
  }

  @Override
  public List<String> get(Object name) {
    return kept(name) ? inbound.get((String) name) : shown().get(name);
  }

  @Override
  public boolean containsKey(Object name) {
    return kept(name) ? inbound.containsHeader((String) name) : shown().containsKey(name);
  }

  @Override
  public String getFirst(String name) {
    return kept(name) ? inbound.getFirst(name) : shown().getFirst(name);
  }

  @Override
  public Set<Entry<String, List<String>>> entrySet() {
    return shown().entrySet();
  }

  @Override
  public Set<String> keySet() {
    return shown().keySet();
  }

  @Override
  public int size() {
    return shown().size();
  }

  @Override
  public boolean isEmpty() {
    return shown().isEmpty();
  }

  @Override
  public Map<String, String> toSingleValueMap() {
    return shown().toSingleValueMap();
  }

  @Override
  public void add(String name, String value) {
    throw readOnly();
  }

  @Override
  public void addAll(String name, List<? extends String> values) {
    throw readOnly();
  }

  @Override
  public void addAll(MultiValueMap<String, String> values) {
    throw readOnly();
  }

  @Override
  public void set(String name, String value) {
    throw readOnly();
  }

  @Override
  public void setAll(Map<String, String> values) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("inbound request headers are read-only; use exchange.mutate()");
  }

  /** Whether header {@code name} is shown as sent. */
  private boolean kept(Object name) {
    return name instanceof String header && view.treatment(header) == InboundView.Treatment.KEEP;
  }

  private MultiValueMap<String, String> shown() {
    MultiValueMap<String, String> headers = shown;
    if (headers == null) {
      headers = show();
      shown = headers;
    }
    return headers;
  }

  /** Every header shown, in the inbound order, the decided flag headers last. */
  private MultiValueMap<String, String> show() {
    Map<String, List<String>> headers = new LinkedCaseInsensitiveMap<>(inbound.size() + 4, Locale.ENGLISH);
    inbound.forEach((name, values) -> {
      switch (view.treatment(name)) {
        case KEEP -> headers.put(name, values);
        case BAGGAGE -> {
          String kept = view.baggage(SpringHttpHeaders.getter().get(inbound, name));
          if (kept != null) {
            headers.put(name, List.of(kept));
          }
        }
        default -> { }
      }
    });
    view.decided(flags, name -> SpringHttpHeaders.getter().get(inbound, name))
        .forEach((name, value) -> headers.put(name, List.of(value)));
    return CollectionUtils.unmodifiableMultiValueMap(CollectionUtils.toMultiValueMap(headers));
  }
}
