package dev.flagroute.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The {@code flagroute.*} configuration as property name to value, for the actuator endpoint. */
final class ConfigurationView {
  private ConfigurationView() {}

  static Map<String, Object> of(FlagRouteProperties properties) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("flagroute.enabled", properties.enabled());
    view.put("flagroute.mode", lower(properties.mode()));
    view.put("flagroute.routes", properties.routes().size() + " inline");
    view.put("flagroute.routes-file", properties.routesFile() == null ? null : properties.routesFile().getDescription());
    view.put("flagroute.evaluate-missing", properties.evaluateMissing());
    view.put("flagroute.deadline", text(properties.deadline()));
    view.put("flagroute.cache.enabled", properties.cache().enabled());
    view.put("flagroute.cache.size", properties.cache().size());
    view.put("flagroute.cache.ttl", text(properties.cache().ttl()));
    view.put("flagroute.cache.key-attributes", properties.cache().keyAttributes());
    view.put("flagroute.override.secret", properties.override().secret() == null ? null : RouterSettings.MASKED);
    view.put("flagroute.override.header", properties.override().header());
    view.put("flagroute.override.max-ttl", text(properties.override().maxTtl()));
    view.put("flagroute.service.name", properties.service().name());
    view.put("flagroute.service.version", properties.service().version());
    view.put("flagroute.header.codec", lower(properties.header().codec()));
    view.put("flagroute.header.prefix", properties.header().prefix());
    view.put("flagroute.header.name", properties.header().name());
    view.put("flagroute.header.member-prefix", properties.header().memberPrefix());
    view.put("flagroute.limits.max-flags", properties.limits().maxFlags());
    view.put("flagroute.limits.max-value-length", properties.limits().maxValueLength());
    view.put("flagroute.limits.max-header-length", properties.limits().maxHeaderLength());
    view.put("flagroute.targeting-key.source", lower(properties.targetingKey().source()));
    view.put("flagroute.targeting-key.name", properties.targetingKey().name());
    view.put("flagroute.openfeature.domain", properties.openfeature().domain());
    view.put("flagroute.servlet.enabled", properties.servlet().enabled());
    view.put("flagroute.servlet.order", properties.servlet().order());
    view.put("flagroute.servlet.url-patterns", properties.servlet().urlPatterns());
    view.put("flagroute.servlet.mdc-key", properties.servlet().mdcKey());
    view.put("flagroute.servlet.debug-header", properties.servlet().debugHeader());
    view.put("flagroute.webflux.enabled", properties.webflux().enabled());
    view.put("flagroute.webflux.order", properties.webflux().order());
    view.put("flagroute.outbound.rest-client", properties.outbound().restClient());
    view.put("flagroute.outbound.rest-template", properties.outbound().restTemplate());
    view.put("flagroute.outbound.web-client", properties.outbound().webClient());
    view.put("flagroute.outbound.grpc", properties.outbound().grpc());
    view.put("flagroute.propagation.task-decorator", properties.propagation().taskDecorator());
    view.put("flagroute.metrics.enabled", properties.metrics().enabled());
    view.put("flagroute.tracing.enabled", properties.tracing().enabled());
    FlagRouteProperties.Guard guard = properties.guard();
    view.put("flagroute.guard.flags", guard.flags());
    view.put("flagroute.guard.failure-ratio", guard.failureRatio());
    view.put("flagroute.guard.min-requests", guard.minRequests());
    view.put("flagroute.guard.margin", guard.margin());
    view.put("flagroute.guard.window", text(guard.window()));
    view.put("flagroute.guard.cool-down", text(guard.coolDown()));
    view.put("flagroute.guard.probe-share", guard.probeShare());
    view.put("flagroute.guard.probe-requests", guard.probeRequests());
    view.values().removeIf(Objects::isNull);
    return view;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static String lower(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
