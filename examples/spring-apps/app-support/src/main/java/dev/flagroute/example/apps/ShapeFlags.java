package dev.flagroute.example.apps;

import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;

/**
 * The flags every app shape serves, matching {@code classpath:shape-flagroutes.yaml}: {@code checkout}
 * is {@code v2} for targeting keys starting with {@code beta-}, else {@code v1}.
 */
public final class ShapeFlags {
  private ShapeFlags() {}

  /** An isolated OpenFeature API whose default provider serves {@code checkout}. */
  public static OpenFeatureAPI api() {
    Flag<String> checkout = Flag.<String>builder()
        .variant("v1", "v1")
        .variant("v2", "v2")
        .defaultVariant("v1")
        .contextEvaluator((flag, context) -> {
          String key = context.getTargetingKey();
          return key != null && key.startsWith("beta-") ? "v2" : null;
        })
        .build();
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", checkout)));
    return api;
  }

  /** The properties every shape starts with: an edge over the shared routes, users from {@code x-user-id}. */
  public static String[] edgeArguments(String... more) {
    String[] common = {"--server.port=0", "--flagroute.mode=edge", "--flagroute.routes-file=classpath:shape-flagroutes.yaml",
        "--flagroute.targeting-key.source=header", "--flagroute.targeting-key.name=x-user-id"};
    String[] all = new String[common.length + more.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(more, 0, all, common.length, more.length);
    return all;
  }
}
