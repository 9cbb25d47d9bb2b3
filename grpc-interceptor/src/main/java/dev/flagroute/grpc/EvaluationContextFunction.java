package dev.flagroute.grpc;

import dev.flagroute.evaluation.RequestContextSpec;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.Objects;

/**
 * Builds the OpenFeature {@link EvaluationContext} an edge router decides a call's flags for, from
 * the call and its inbound metadata (for example a targeting key from an authenticated user id).
 * It may be called on any transport thread: keep it fast and free of blocking I/O. Whatever it
 * returns is kept within {@link RequestContextSpec}'s bounds: an over-long targeting key or string
 * attribute is dropped.
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
   * The evaluation context {@code spec} reads from the call's metadata (ASCII keys, the last value
   * of each): the same targeting-key header, attribute headers and bounds as the servlet filter and
   * the WebFlux filter.
   */
  static EvaluationContextFunction headers(RequestContextSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return (call, headers) -> spec.read(headers, MetadataHeaders.GETTER);
  }

  /**
   * The targeting key from the ASCII metadata key {@code metadataKey} (its last value), or the
   * empty context when the call has none; a blank key or one longer than
   * {@link RequestContextSpec#MAX_TARGETING_KEY_LENGTH} counts as none.
   *
   * @throws IllegalArgumentException if {@code metadataKey} is not a legal ASCII metadata key
   */
  static EvaluationContextFunction targetingKey(String metadataKey) {
    Metadata.Key<String> key = Metadata.Key.of(metadataKey, Metadata.ASCII_STRING_MARSHALLER);
    return (call, headers) -> {
      String targetingKey = RequestContextSpec.targetingKey(headers.get(key));
      return targetingKey == null ? ImmutableContext.EMPTY : new ImmutableContext(targetingKey);
    };
  }
}
