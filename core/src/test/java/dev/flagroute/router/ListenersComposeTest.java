package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.RecordingListener;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.ImmutableContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListenersComposeTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  private static RoutingListener throwing(AtomicInteger calls) {
    return (RoutingListener) Proxy.newProxyInstance(ListenersComposeTest.class.getClassLoader(),
        new Class<?>[] {RoutingListener.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "hostile" : method.invoke(calls, args);
          }
          calls.incrementAndGet();
          throw new IllegalStateException("listener exploded");
        });
  }

  @Test
  void everyListenerAddedHearsEveryEventInOrderAndOneThatThrowsStopsNoOther() {
    RecordingListener first = new RecordingListener();
    RecordingListener last = new RecordingListener();
    AtomicInteger hostileCalls = new AtomicInteger();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .listener(first).listener(throwing(hostileCalls)).listener(last).reportForeignHeaders(true).build();

      edge.route(Map.of("x-flag-checkout", "v2"), GETTER, new ImmutableContext("beta-1"));
      edge.route(Map.of(), GETTER, new ImmutableContext("u"));

      List<String> expected = List.of("dropped x-flag-checkout UNTRUSTED", "decided {checkout=v2, search=on}",
          "decided {checkout=v1, search=on}");
      assertThat(first.events()).isEqualTo(expected);
      assertThat(last.events()).isEqualTo(expected);
      assertThat(hostileCalls).hasValue(3);
    }
  }

  @Test
  void compositesFlattenAndLeaveOutTheNoOp() {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    RecordingListener c = new RecordingListener();

    assertThat(RoutingListener.composite()).isSameAs(RoutingListener.NOOP);
    assertThat(RoutingListener.composite(RoutingListener.NOOP, a)).isSameAs(a);
    RoutingListener nested = RoutingListener.composite(RoutingListener.composite(a, b), RoutingListener.NOOP, c);
    assertThat(nested).isInstanceOf(RoutingListener.class);
    nested.evaluationFailed("checkout", dev.flagroute.evaluation.EvaluationFailure.EXCEPTION);
    assertThat(List.of(a.events(), b.events(), c.events()))
        .allSatisfy(events -> assertThat(events).containsExactly("failed checkout EXCEPTION"));
  }

  /** A new listener method that the fan-out forgets would be heard by no listener of a composite. */
  @Test
  void theFanOutForwardsEveryListenerMethod() throws ClassNotFoundException {
    Class<?> fanOut = Class.forName("dev.flagroute.observe.ListenerFanOut");
    List<String> missing = Arrays.stream(RoutingListener.class.getMethods())
        .filter(method -> !Modifier.isStatic(method.getModifiers()))
        .filter(method -> declaredBy(fanOut, method) == null)
        .map(Method::getName)
        .toList();
    assertThat(missing).isEmpty();
  }

  private static Method declaredBy(Class<?> type, Method method) {
    try {
      return type.getDeclaredMethod(method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
