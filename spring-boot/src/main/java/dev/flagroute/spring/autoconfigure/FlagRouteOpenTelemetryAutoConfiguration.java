package dev.flagroute.spring.autoconfigure;

import dev.flagroute.opentelemetry.FlagTraces;
import io.opentelemetry.api.trace.Span;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers flagroute-opentelemetry's {@link FlagTraces} as a routing listener when it is on the
 * class path: the span current when the servlet filter or WebFilter routes (the server span, with
 * the OpenTelemetry Java agent or Micrometer Tracing's OpenTelemetry bridge) gets each flag's
 * variant, this service's version from {@code flagroute.service.*}, and at the edge the
 * {@code feature_flag.evaluation} events. Switched off by {@code flagroute.tracing.enabled=false};
 * backs off when the application defines its own.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration
@ConditionalOnClass({FlagTraces.class, Span.class})
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.tracing.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(FlagRouteProperties.class)
public class FlagRouteOpenTelemetryAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteOpenTelemetryAutoConfiguration() {}

  /** The listener that puts the flags on the current span. */
  @Bean
  @ConditionalOnMissingBean
  public FlagTraces flagRouteTraces(FlagRouteProperties properties) {
    FlagTraces.Builder traces = FlagTraces.builder();
    FlagRouteProperties.Service service = properties.service();
    if (service.name() != null && service.version() != null) {
      traces.service(service.name(), service.version());
    }
    return traces.build();
  }
}
