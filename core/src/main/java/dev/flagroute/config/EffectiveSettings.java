package dev.flagroute.config;

import dev.flagroute.router.RoutingMode;
import dev.flagroute.verdict.VerdictPolicy;
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
    view.put(Setting.OVERRIDE_ACCEPT_UNBOUND.key(), Boolean.toString(settings.overrideAcceptUnbound));
    view.put("service", settings.serviceName == null ? NOT_SET : settings.serviceName + " " + settings.serviceVersion);
    view.put("guard", settings.guardPolicy == null ? "off" : String.join(", ", settings.guardFlags)
        + ": trips a variant with more than " + settings.guardPolicy.failureRatio() + " of at least "
        + settings.guardPolicy.minRequests() + " users failing (at least " + settings.guardPolicy.minFailingUsers()
        + ") over " + settings.guardPolicy.window() + " and " + settings.guardPolicy.margin()
        + " more than the default; cool-down " + settings.guardPolicy.coolDown() + ", then probes "
        + settings.guardPolicy.probeShare() + " of its users, " + settings.guardPolicy.probeRequests() + " to decide");
    view.put("verdicts", verdicts(settings));
    return Collections.unmodifiableMap(view);
  }

  private static String verdicts(RoutingSettings settings) {
    if (settings.mode == RoutingMode.RELAY) {
      return "off";
    }
    VerdictPolicy verdicts = settings.verdictPolicy;
    return (settings.verdictFlags.isEmpty() ? "" : String.join(", ", settings.verdictFlags) + " and ")
        + "every ramped flag: WORSE or BETTER at alpha " + verdicts.alpha() + " after at least "
        + verdicts.minRequests() + " requests per side, tuned to error differences of " + verdicts.errorDifference()
        + " and slow-share differences of " + verdicts.slowShareDifference() + " (slow: above the default's "
        + verdicts.slowQuantile() + " quantile of its first " + verdicts.calibrationRequests() + " requests)"
        + (verdicts.holdBackWorse() ? "; WORSE variants held back" : "");
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
