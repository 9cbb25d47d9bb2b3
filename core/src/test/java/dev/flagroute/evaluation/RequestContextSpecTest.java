package dev.flagroute.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderGetter;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RequestContextSpecTest {
  private static final RequestContextSpec SPEC = RequestContextSpec.of("x-user-id",
      new LinkedHashMap<>(Map.of("tenant", "x-tenant-id", "plan", "x-plan")));

  @Test
  void readsTheKeyAndTheAttributesFromHeaders() {
    EvaluationContext context = SPEC.read(Map.of("x-user-id", " alice ", "x-tenant-id", "acme", "x-other", "1"),
        HeaderGetter.forMap());

    assertThat(context.getTargetingKey()).isEqualTo("alice");
    assertThat(context.getValue("tenant").asString()).isEqualTo("acme");
    assertThat(context.keySet()).doesNotContain("plan", "x-other");
  }

  @Test
  void blankAndOverlongValuesCountAsAbsent() {
    String longKey = "k".repeat(RequestContextSpec.MAX_TARGETING_KEY_LENGTH + 1);
    String longValue = "v".repeat(RequestContextSpec.MAX_ATTRIBUTE_LENGTH + 1);

    EvaluationContext context = SPEC.read(Map.of("x-user-id", longKey, "x-tenant-id", longValue, "x-plan", "  "),
        HeaderGetter.forMap());

    assertThat(context.getTargetingKey()).isNull();
    assertThat(context.keySet()).doesNotContain("tenant", "plan");
    assertThat(SPEC.read(Map.of(), HeaderGetter.forMap(), "k".repeat(256)).getTargetingKey()).hasSize(256);
    assertThat(RequestContextSpec.NONE.read(Map.of("x-user-id", "alice"), HeaderGetter.forMap()))
        .isSameAs(ImmutableContext.EMPTY);
  }

  @Test
  void boundsAContextAnApplicationBuilt() {
    EvaluationContext within = new ImmutableContext("alice", Map.of("tenant", new Value("acme")));
    EvaluationContext beyond = new ImmutableContext("k".repeat(257), Map.of("tenant", new Value("acme"),
        "note", new Value("n".repeat(1025)), "count", new Value(3)));

    assertThat(RequestContextSpec.bounded(within)).isSameAs(within);
    assertThat(RequestContextSpec.bounded(null)).isSameAs(ImmutableContext.EMPTY);
    EvaluationContext bounded = RequestContextSpec.bounded(beyond);
    assertThat(bounded.getTargetingKey()).isNull();
    assertThat(bounded.keySet()).contains("tenant", "count").doesNotContain("note");
  }

  @Test
  void namesAndHeadersMustNotBeBlank() {
    assertThatThrownBy(() -> RequestContextSpec.of(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestContextSpec.of(null, Map.of("tenant", ""))).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void anyHeaderValuesGiveABoundedContext(@ForAll @StringLength(max = 2000) String key,
      @ForAll @StringLength(max = 2000) String tenant) {
    EvaluationContext context = SPEC.read(Map.of("x-user-id", key, "x-tenant-id", tenant), HeaderGetter.forMap());

    assertThat(context.getTargetingKey()).satisfiesAnyOf(k -> assertThat(k).isNull(),
        k -> assertThat(k).isNotBlank().hasSizeLessThanOrEqualTo(RequestContextSpec.MAX_TARGETING_KEY_LENGTH));
    Value value = context.getValue("tenant");
    assertThat(value == null || value.asString().length() <= RequestContextSpec.MAX_ATTRIBUTE_LENGTH).isTrue();
    assertThat(RequestContextSpec.bounded(context)).isSameAs(context);
  }
}
