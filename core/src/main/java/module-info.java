/**
 * flagroute's request path: flag routes, header codecs, the request's {@code FlagContext}, the
 * edge/relay router over OpenFeature and the configuration model. Outbound stamping for OkHttp and
 * {@code java.net.http} and the JUnit 5 harness are modules of their own ({@code dev.flagroute.okhttp},
 * {@code dev.flagroute.jdkhttp}, {@code dev.flagroute.testing}).
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
 *       {@code GuardTransition} (the rollout guard);
 *   <li>{@code dev.flagroute.direct}: {@code VersionAddresses}, {@code VersionRouting},
 *       {@code VersionTarget} (routing without a mesh);
 *   <li>{@code dev.flagroute.verdict}: {@code Verdict}, {@code VerdictState}, {@code Comparison},
 *       {@code VerdictPolicy} (each variant judged against the default);
 *   <li>{@code dev.flagroute.ramp}: {@code RampStatus}, {@code RampState} (guarded ramps, declared
 *       with {@code dev.flagroute.routes.Ramp});
 *   <li>{@code dev.flagroute.evaluation}: {@code RoutingFlagsProvider}, {@code EvaluationFailure},
 *       {@code RequestContextSpec}.
 * </ul>
 *
 * <p>{@code dev.flagroute.internal} and its subpackages hold plumbing between these packages and
 * flagroute's other modules; they are exported to those modules only. The one optional dependency
 * is {@code static}: routes files need snakeyaml-engine.
 */
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.core {
  requires transitive dev.openfeature.sdk;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static org.snakeyaml.engine;

  exports dev.flagroute.codec;
  exports dev.flagroute.config;
  exports dev.flagroute.context;
  exports dev.flagroute.direct;
  exports dev.flagroute.evaluation;
  exports dev.flagroute.guard;
  exports dev.flagroute.observe;
  exports dev.flagroute.override;
  exports dev.flagroute.ramp;
  exports dev.flagroute.router;
  exports dev.flagroute.routes;
  exports dev.flagroute.verdict;
  exports dev.flagroute.internal to dev.flagroute.mesh, dev.flagroute.spring, dev.flagroute.servlet, dev.flagroute.grpc,
      dev.flagroute.micrometer, dev.flagroute.testing, dev.flagroute.kafka;
  exports dev.flagroute.internal.access to dev.flagroute.spring, dev.flagroute.micrometer, dev.flagroute.testing;
  exports dev.flagroute.internal.inbound to dev.flagroute.spring, dev.flagroute.servlet, dev.flagroute.grpc;
}
