package dev.flagroute.grpc;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import io.grpc.Metadata;
import io.grpc.ServerCall;

/**
 * Builds the OpenFeature {@link EvaluationContext} an edge router decides a call's flags for, from
 * the call and its inbound metadata (for example a targeting key from an authenticated user id).
 * It may be called on any transport thread: keep it fast and free of blocking I/O.
 */
@FunctionalInterface
public interface EvaluationContextFunction {
  /** The evaluation context of {@code call}; may return {@code null} for an empty one. */
  EvaluationContext apply(ServerCall<?, ?> call, Metadata headers);

  /** Always the empty context. The default. */
  static EvaluationContextFunction empty() {
    return (call, headers) -> ImmutableContext.EMPTY;
  }

  /**
   * The targeting key from the ASCII metadata key {@code metadataKey} (its last value), or the
   * empty context when the call has none.
   *
   * @throws IllegalArgumentException if {@code metadataKey} is not a legal ASCII metadata key
   */
  static EvaluationContextFunction targetingKey(String metadataKey) {
    Metadata.Key<String> key = Metadata.Key.of(metadataKey, Metadata.ASCII_STRING_MARSHALLER);
    return (call, headers) -> {
      String targetingKey = headers.get(key);
      return targetingKey == null ? ImmutableContext.EMPTY : new ImmutableContext(targetingKey);
    };
  }
}
