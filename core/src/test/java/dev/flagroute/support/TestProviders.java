package dev.flagroute.support;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** Small hand-written providers that misbehave in the ways the router must survive. */
public final class TestProviders {
  private TestProviders() {}

  /** A provider answering string flags with {@code answer}; other types are unsupported. */
  public static class StringProvider implements FeatureProvider {
    private final BiFunction<String, EvaluationContext, ProviderEvaluation<String>> answer;
    private final AtomicInteger calls = new AtomicInteger();

    public StringProvider(BiFunction<String, EvaluationContext, ProviderEvaluation<String>> answer) {
      this.answer = answer;
    }

    public int calls() {
      return calls.get();
    }

    @Override
    public Metadata getMetadata() {
      return () -> getClass().getSimpleName();
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
      calls.incrementAndGet();
      return answer.apply(key, ctx);
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
      throw new UnsupportedOperationException();
    }
  }

  /** Answers {@code value} with reason STATIC. */
  public static ProviderEvaluation<String> answer(String value) {
    return ProviderEvaluation.<String>builder().value(value).variant(value).reason("STATIC").build();
  }

  /** A provider that throws on every evaluation. */
  public static StringProvider throwing() {
    return new StringProvider((key, ctx) -> {
      throw new IllegalStateException("provider exploded");
    });
  }

  /** A provider whose answers wait until {@link GatedProvider#open()}, at most 60 seconds. */
  public static final class GatedProvider extends StringProvider {
    private final CountDownLatch gate;

    private GatedProvider(CountDownLatch gate, BiFunction<String, EvaluationContext, ProviderEvaluation<String>> answer) {
      super((key, ctx) -> {
        try {
          gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return answer.apply(key, ctx);
      });
      this.gate = gate;
    }

    public GatedProvider(BiFunction<String, EvaluationContext, ProviderEvaluation<String>> answer) {
      this(new CountDownLatch(1), answer);
    }

    public void open() {
      gate.countDown();
    }
  }

  /** A provider whose initialization waits until {@link #finishInitializing()}, at most 60 seconds. */
  public static final class SlowStartingProvider extends StringProvider {
    private final CountDownLatch started = new CountDownLatch(1);

    public SlowStartingProvider() {
      super((key, ctx) -> answer("v2"));
    }

    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
      started.await(60, TimeUnit.SECONDS);
    }

    public void finishInitializing() {
      started.countDown();
    }
  }
}
