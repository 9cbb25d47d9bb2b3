package dev.flagroute.spring.autoconfigure;

import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.router.FlagRouter;
import io.grpc.ClientInterceptor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Exposes a gRPC {@link FlagClientInterceptor} bean, stamping with the router's codec, when gRPC
 * and {@code flagroute-grpc} are on the class path. Add it to channels (or let a gRPC integration
 * that applies {@code ClientInterceptor} beans do so). Switched off by
 * {@code flagroute.outbound.grpc=false}; backs off when the application defines its own.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(after = FlagRouteAutoConfiguration.class)
@ConditionalOnClass({ClientInterceptor.class, FlagClientInterceptor.class})
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.outbound.grpc"}, matchIfMissing = true)
@ConditionalOnBean(FlagRouter.class)
public class FlagRouteGrpcAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRouteGrpcAutoConfiguration() {}

  /** The interceptor that stamps the current flags on outgoing calls. */
  @Bean
  @ConditionalOnMissingBean
  public FlagClientInterceptor flagClientInterceptor(FlagRouter router) {
    return FlagClientInterceptor.create(router.codec());
  }
}
