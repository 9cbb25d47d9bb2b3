package dev.flagroute.demo.report;

import dev.flagroute.context.FlagDecision;
import dev.flagroute.demo.app.Hop;
import dev.flagroute.demo.app.Trace;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Ramp;
import dev.flagroute.routes.ServiceRoutes;
import dev.flagroute.verdict.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one demo run did, for its {@link HtmlReport}: the requests of each scenario (each variant's
 * share, and for each cohort the version every hop served), the guarded ramp's steps, the measured
 * shares, and the verdicts. Thread-safe: the ramp's and verdicts' events arrive on server threads.
 */
public final class Timeline {
  private final FlagRoutes routes;
  private final Clock clock;
  private final Instant started;
  private final List<Map<String, Object>> scenarios = new ArrayList<>();
  private final Map<String, Cohort> cohorts = new LinkedHashMap<>();
  private final List<Map<String, Object>> rampEvents = new ArrayList<>();
  private final List<Map<String, Object>> rampRounds = new ArrayList<>();
  private final List<Map<String, Object>> verdicts = new ArrayList<>();
  private Map<String, Object> ramp;
  private String result = "not finished";

  /** A timeline of a run over {@code routes}, its times measured by {@code clock} from now. */
  public Timeline(FlagRoutes routes, Clock clock) {
    this.routes = routes;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** Scenario {@code number} begins. */
  public synchronized void scenario(int number, String title) {
    Map<String, Object> scenario = new LinkedHashMap<>();
    scenario.put("n", number);
    scenario.put("title", title);
    scenario.put("t", seconds(clock.instant()));
    Map<String, Map<String, Integer>> shares = new LinkedHashMap<>();
    routes.forEach(route -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      route.variants().keySet().forEach(variant -> counts.put(variant, 0));
      shares.put(route.key(), counts);
    });
    scenario.put("shares", shares);
    scenarios.add(scenario);
  }

  /** One request went through the shop: counts its variants in the current scenario and its cohort's hops. */
  @SuppressWarnings("unchecked")
  public synchronized void request(Trace trace) {
    if (!scenarios.isEmpty()) {
      Map<String, Map<String, Integer>> shares =
          (Map<String, Map<String, Integer>>) scenarios.get(scenarios.size() - 1).get("shares");
      trace.decided().forEach((flag, decision) -> {
        Map<String, Integer> counts = shares.get(flag);
        if (counts != null) {
          counts.merge(decision.variant(), 1, Integer::sum);
        }
      });
    }
    Map<String, String> variants = new LinkedHashMap<>();
    routes.forEach(route -> {
      FlagDecision decision = trace.decided().get(route.key());
      variants.put(route.key(), decision == null ? route.defaultVariant() : decision.variant());
    });
    cohorts.computeIfAbsent(variants.toString(), key -> new Cohort(variants, expected(variants))).count(trace);
  }

  /** The guarded ramp of the ramp scenario was declared. */
  public synchronized void rampDeclared(String flag, String variant, Ramp declared) {
    ramp = new LinkedHashMap<>();
    ramp.put("flag", flag);
    ramp.put("variant", variant);
    ramp.put("steps", declared.steps());
    ramp.put("intervalSeconds", declared.interval().toMillis() / 1000.0);
    ramp.put("start", seconds(declared.start()));
  }

  /** A round of requests to the ramped frontend found {@code on} of {@code users} users on the ramped variant. */
  public synchronized void rampRound(int on, int users) {
    rampRounds.add(Map.of("t", seconds(clock.instant()), "on", on, "users", users,
        "percent", users == 0 ? 0.0 : 100.0 * on / users));
  }

  /** A listener that records the ramp's steps and the verdict's changes as they happen. */
  public RoutingListener listener() {
    return new RoutingListener() {
      @Override
      public void rampChanged(RampStatus status) {
        synchronized (Timeline.this) {
          rampEvents.add(Map.of("t", seconds(clock.instant()), "state", status.state().name(), "step", status.step(),
              "percent", status.percent()));
        }
      }

      @Override
      public void verdictChanged(Verdict verdict) {
        synchronized (Timeline.this) {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("t", seconds(clock.instant()));
          event.put("flag", verdict.flagKey());
          event.put("variant", verdict.variant());
          event.put("state", verdict.state().name());
          event.put("errors", verdict.errors().variantHits() + " of " + verdict.errors().variantRequests() + " vs "
              + verdict.errors().defaultHits() + " of " + verdict.errors().defaultRequests());
          event.put("slow", verdict.latency().variantHits() + " of " + verdict.latency().variantRequests() + " vs "
              + verdict.latency().defaultHits() + " of " + verdict.latency().defaultRequests());
          event.put("p", String.format(Locale.ROOT, "%.3g", Math.min(verdict.errors().pValue(),
              verdict.latency().pValue())));
          verdicts.add(event);
        }
      }
    };
  }

  /** The run ended with {@code line} (PASS or FAIL). */
  public synchronized void finished(String line) {
    result = line;
  }

  /** Everything recorded, as plain maps and lists for the report's JSON. */
  synchronized Map<String, Object> data() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("result", result);
    data.put("started", started.toString());
    List<Map<String, Object>> flags = new ArrayList<>();
    for (FlagRoute route : routes) {
      List<String> variants = new ArrayList<>(route.variants().keySet());
      flags.add(Map.of("key", route.key(), "service", route.service(), "default", route.defaultVariant(),
          "variants", variants, "versions", new TreeMap<>(route.variants())));
    }
    data.put("flags", flags);
    data.put("services", List.copyOf(routes.services()));
    data.put("scenarios", copy(scenarios));
    data.put("cohorts", cohorts.values().stream().map(Cohort::data).toList());
    Map<String, Object> rampData = ramp == null ? new LinkedHashMap<>() : new LinkedHashMap<>(ramp);
    rampData.put("events", List.copyOf(rampEvents));
    rampData.put("rounds", List.copyOf(rampRounds));
    rampData.put("verdicts", List.copyOf(verdicts));
    data.put("ramp", rampData);
    return data;
  }

  private Map<String, String> expected(Map<String, String> variants) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (ServiceRoutes service : routes.serviceRoutes()) {
      versions.put(service.service(), service.version(route -> variants.get(route.key())));
    }
    return versions;
  }

  private double seconds(Instant instant) {
    return Duration.between(started, instant).toMillis() / 1000.0;
  }

  private static List<Map<String, Object>> copy(List<Map<String, Object>> list) {
    return list.stream().map(map -> (Map<String, Object>) new LinkedHashMap<>(map)).toList();
  }

  /** The requests of one combination of variants, and the versions each service served them from. */
  private static final class Cohort {
    private final Map<String, String> variants;
    private final Map<String, String> expected;
    private final Map<String, Map<String, Integer>> served = new LinkedHashMap<>();
    private int requests;

    Cohort(Map<String, String> variants, Map<String, String> expected) {
      this.variants = variants;
      this.expected = expected;
      expected.keySet().forEach(service -> served.put(service, new TreeMap<>()));
    }

    void count(Trace trace) {
      requests++;
      for (Hop hop : trace.hops()) {
        served.computeIfAbsent(hop.service(), service -> new TreeMap<>()).merge(hop.version(), 1, Integer::sum);
      }
    }

    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("variants", variants);
      data.put("requests", requests);
      data.put("expected", expected);
      data.put("served", served);
      return data;
    }
  }
}
