package dev.flagroute.demo.run;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.GeneralError;

/**
 * A provider whose flag backend is down: every evaluation fails. The demo switches to it to show
 * that a failing provider sends every request to the stable versions instead of failing it.
 */
final class OutageProvider implements FeatureProvider {
  private static final String MESSAGE = "flag backend unreachable";

  @Override
  public Metadata getMetadata() {
    return () -> "outage";
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
    throw new GeneralError(MESSAGE);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
    throw new GeneralError(MESSAGE);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
    throw new GeneralError(MESSAGE);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
    throw new GeneralError(MESSAGE);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
    throw new GeneralError(MESSAGE);
  }
}
