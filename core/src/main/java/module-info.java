/**
 * flagroute's request path: flag routes, header codecs, the request's {@code FlagContext}, the
 * edge/relay router over OpenFeature, outbound stamping, the configuration model and a JUnit 5
 * harness.
 *
 * <p>The API packages:
 * <ul>
 *   <li>{@code dev.flagroute.routes}: {@code FlagRoute}, {@code FlagRoutes}, {@code ServiceRoutes}
 *       (the precedence rule), {@code FlagRoutesFile}, {@code InvalidRoutesException},
 *       {@code Mirror}, {@code Ramp};
 *   <li>{@code dev.flagroute.codec}: {@code HeaderCodec}, {@code HeaderGetter},
 *       {@code HeaderSetter}, {@code HeaderLimits}, {@code HeaderMatch}, {@code DropReason};
 *   <li>{@code dev.flagroute.context}: {@code FlagContext}, {@code FlagDecision}, {@code Source},
 *       {@code FlagScope}, {@code FlagExecutors};
 *   <li>{@code dev.flagroute.router}: {@code FlagRouter}, {@code RoutingMode};
 *   <li>{@code dev.flagroute.config}: {@code RoutingSettings}, {@code Setting},
 *       {@code SettingSource}, {@code TargetingKey}, {@code InvalidSettingException};
 *   <li>{@code dev.flagroute.override}: {@code OverrideTokens}, {@code OverrideResult},
 *       {@code OverrideRejection};
 *   <li>{@code dev.flagroute.observe}: {@code RoutingListener}, {@code RoutingCounters},
 *       {@code Misroute}, {@code RequestOutcome};
 *   <li>{@code dev.flagroute.guard}: {@code GuardPolicy}, {@code GuardState}, {@code GuardStatus},
 *       {@code GuardTransition}, {@code RolloutGuard} (the rollout guard);
 *   <li>{@code dev.flagroute.verdict}: {@code Verdict}, {@code VerdictState}, {@code Comparison},
 *       {@code VerdictPolicy}, {@code VerdictMonitor};
 *   <li>{@code dev.flagroute.ramp}: {@code RampStatus}, {@code RampState}, {@code Rollouts} (ramps
 *       and verdicts at the edge); ramps are declared with {@code dev.flagroute.routes.Ramp};
 *   <li>{@code dev.flagroute.evaluation}: {@code RoutingFlagsProvider}, {@code EvaluationFailure};
 *   <li>{@code dev.flagroute.http}: {@code FlagStampingInterceptor} (OkHttp),
 *       {@code FlagHttpRequests} ({@code java.net.http});
 *   <li>{@code dev.flagroute.testing}: {@code FlagRoutingExtension}, {@code WithRoute},
 *       {@code WithRoutesFile}, {@code WithVariant}, {@code StampedFlags}.
 * </ul>
 *
 * <p>{@code dev.flagroute.internal} holds plumbing between these packages and flagroute's other
 * modules; it is exported to those modules only. Optional dependencies are {@code static}: routes
 * files need snakeyaml-engine, the OkHttp interceptor OkHttp 5, the harness JUnit Jupiter.
 */
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.core {
  requires transitive dev.openfeature.sdk;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires transitive java.net.http;
  requires static okhttp3;
  requires static org.snakeyaml.engine.v2;
  requires static org.junit.jupiter.api;
  requires static org.junit.platform.commons;
  requires static org.opentest4j;

  exports dev.flagroute.codec;
  exports dev.flagroute.config;
  exports dev.flagroute.context;
  exports dev.flagroute.evaluation;
  exports dev.flagroute.guard;
  exports dev.flagroute.http;
  exports dev.flagroute.observe;
  exports dev.flagroute.override;
  exports dev.flagroute.ramp;
  exports dev.flagroute.router;
  exports dev.flagroute.routes;
  exports dev.flagroute.testing;
  exports dev.flagroute.verdict;
  exports dev.flagroute.internal to dev.flagroute.mesh, dev.flagroute.spring, dev.flagroute.servlet, dev.flagroute.grpc;
}
