package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.spring.http.SpringHttpHeaders;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * Makes an exchange's inbound headers what the application sees (see {@link InboundView}): flag
 * headers of any codec and the override token removed, {@code baggage} without its flag members,
 * and the decided flag headers of the router's codec written.
 */
final class InboundHeaders {
  private InboundHeaders() {}

  /** Rewrites {@code headers}, a writable copy of the inbound headers, for decided {@code flags}. */
  static void show(InboundView view, FlagContext flags, HttpHeaders headers) {
    Map<String, String> decided = view.decided(flags, name -> SpringHttpHeaders.getter().get(headers, name));
    for (String name : List.copyOf(headers.headerNames())) {
      InboundView.Treatment treatment = view.treatment(name);
      if (treatment == InboundView.Treatment.KEEP) {
        continue;
      }
      String baggage = treatment == InboundView.Treatment.BAGGAGE
          ? view.baggage(SpringHttpHeaders.getter().get(headers, name)) : null;
      headers.remove(name);
      if (baggage != null) {
        headers.set(name, baggage);
      }
    }
    decided.forEach(headers::set);
  }
}
