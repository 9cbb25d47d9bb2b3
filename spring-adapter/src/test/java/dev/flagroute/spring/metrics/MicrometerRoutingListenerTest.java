package dev.flagroute.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.TestRoutes;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerRoutingListenerTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerRoutingListener listener = new MicrometerRoutingListener(registry);

  @Test
  void countsEachDecisionByFlagVariantAndSource() {
    listener.decided(TestRoutes.checkout("v2"));
    listener.decided(TestRoutes.checkout("v2"));
    listener.decided(FlagContext.builder(TestRoutes.ROUTES).evaluated("checkout", "v1", "STATIC").build());

    assertThat(registry.get("flagroute.decisions").tags("flag", "checkout", "variant", "v2", "source", "relayed")
        .counter().count()).isEqualTo(2);
    assertThat(registry.get("flagroute.decisions").tags("flag", "checkout", "variant", "v1", "source", "evaluated")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void droppedHeaderNamesNeverBecomeTags() {
    for (int i = 0; i < 50; i++) {
      listener.headerDropped("x-flag-attacker-" + i, DropReason.UNKNOWN_FLAG);
    }

    assertThat(registry.get("flagroute.headers.dropped").tag("reason", "unknown_flag").counter().count())
        .isEqualTo(50);
    assertThat(registry.getMeters()).flatMap(meter -> meter.getId().getTags())
        .noneSatisfy(tag -> assertThat(tag.getValue()).startsWith("x-flag-attacker"));
  }

  @Test
  void seriesAreBoundedByTheRoutes() {
    for (int i = 0; i < 100; i++) {
      listener.decided(TestRoutes.checkout(i % 2 == 0 ? "v1" : "v2"));
    }

    long decisionSeries = registry.getMeters().stream().map(Meter::getId)
        .filter(id -> id.getName().equals("flagroute.decisions")).count();
    assertThat(decisionSeries).isEqualTo(2 * 4);
  }
}
