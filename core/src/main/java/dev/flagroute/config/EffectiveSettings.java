package dev.flagroute.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The display layer of the settings: what each is in effect, for an actuator or a log. */
final class EffectiveSettings {
  /** Shown instead of a secret that is set. */
  static final String SECRET_SET = "(set)";
  /** Shown for a secret that is not set. */
  static final String NOT_SET = "not set";

  private EffectiveSettings() {}

  /** Each setting of {@code settings} in effect, by canonical key, defaults included; secrets hidden. */
  static Map<String, String> of(RoutingSettings settings) {
    Map<String, String> view = new LinkedHashMap<>();
    view.put(Setting.MODE.key(), settings.mode == null ? NOT_SET : settings.mode.name().toLowerCase(Locale.ROOT));
    view.put(Setting.CODEC.key(), settings.codec.toString());
    view.put("limits", settings.limits.maxFlags() + " flags, " + settings.limits.maxValueLength()
        + " chars per value, " + settings.limits.maxHeaderLength() + " chars per header");
    view.put(Setting.TARGETING_KEY.key(), settings.targetingKey.toString());
    view.put(Setting.ATTRIBUTE_HEADERS.key(), settings.attributeHeaders.toString());
    view.put("cache", cache(settings));
    view.put(Setting.DEADLINE.key(), settings.deadline == null ? "none" : settings.deadline.toString());
    view.put(Setting.EVALUATE_MISSING.key(), Boolean.toString(settings.evaluateMissing));
    view.put(Setting.REPORT_FOREIGN_HEADERS.key(), Boolean.toString(settings.reportForeignHeaders));
    view.put(Setting.OVERRIDE_SECRET.key(), settings.overrides == null ? NOT_SET : SECRET_SET);
    view.put(Setting.OVERRIDE_HEADER.key(), settings.overrideHeader);
    view.put(Setting.SHADOW_HEADER.key(), settings.shadowHeader);
    view.put(Setting.OVERRIDE_AUDIENCE.key(), settings.overrideAudience == null ? NOT_SET : settings.overrideAudience);
    view.put("service", settings.serviceName == null ? NOT_SET : settings.serviceName + " " + settings.serviceVersion);
    view.put("guard", settings.guardPolicy == null ? "off" : String.join(", ", settings.guardFlags)
        + ": trips a variant with more than " + settings.guardPolicy.failureRatio() + " of at least "
        + settings.guardPolicy.minRequests() + " requests failing over " + settings.guardPolicy.window() + " and "
        + settings.guardPolicy.margin() + " more than the default; cool-down " + settings.guardPolicy.coolDown()
        + ", then probes " + settings.guardPolicy.probeShare() + " of its requests, "
        + settings.guardPolicy.probeRequests() + " to decide");
    return Collections.unmodifiableMap(view);
  }

  private static String cache(RoutingSettings settings) {
    if (!settings.cacheEnabled) {
      return "off";
    }
    List<String> keyAttributes = new ArrayList<>(settings.attributeHeaders.keySet());
    keyAttributes.addAll(settings.cacheKeyAttributes);
    return settings.cacheSize + " entries for " + settings.cacheTtl + ", keyed on the targeting key and "
        + (keyAttributes.isEmpty() ? "every attribute" : new LinkedHashSet<>(keyAttributes) + " and every other attribute")
        + (settings.cacheIgnoredAttributes.isEmpty() ? "" : " but " + settings.cacheIgnoredAttributes);
  }
}
