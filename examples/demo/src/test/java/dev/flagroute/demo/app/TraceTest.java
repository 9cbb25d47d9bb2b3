package dev.flagroute.demo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the services write, the demo reads back; anything else is refused with the line named. */
class TraceTest {
  @Test
  void edgeAndHopLinesReadBack() {
    Map<String, FlagDecision> decided = new LinkedHashMap<>();
    decided.put("new-reviews", new FlagDecision("redesign", Source.EVALUATED, "TARGETING_MATCH"));
    decided.put("ratings-model", new FlagDecision("classic", Source.DEFAULT, "ERROR_GENERAL"));
    Hop reviews = new Hop("reviews", "v2", Map.of("new-reviews", "redesign"));
    Hop ratings = new Hop("ratings", "v1", Map.of());

    Trace trace = Trace.parse(Trace.edgeLines(decided) + Trace.hopLine(reviews) + Trace.hopLine(ratings));

    assertThat(trace.decided()).isEqualTo(decided);
    assertThat(trace.hops()).containsExactly(reviews, ratings);
    assertThat(trace.hop("ratings")).isEqualTo(ratings);
    assertThat(trace.hop("payments")).isNull();
  }

  @Test
  void anythingElseIsRefused() {
    assertThatThrownBy(() -> Trace.parse("<html>502 Bad Gateway</html>"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a trace line: '<html>502");
    assertThatThrownBy(() -> Trace.parse("hop reviews v2 new-reviews"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a flag=variant pair");
    assertThatThrownBy(() -> Trace.parse("hop a v1 -\n".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 64 lines");
  }
}
