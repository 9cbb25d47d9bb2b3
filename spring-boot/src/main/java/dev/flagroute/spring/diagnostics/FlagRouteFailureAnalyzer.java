package dev.flagroute.spring.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link FlagRouteConfigurationException} as one paragraph saying what is wrong and one
 * saying what to do, instead of a stack trace. Registered in {@code META-INF/spring.factories}.
 */
public final class FlagRouteFailureAnalyzer extends AbstractFailureAnalyzer<FlagRouteConfigurationException> {
  /** Created by Spring Boot's failure analysis. */
  public FlagRouteFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FlagRouteConfigurationException cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}
