/**
 * flagroute's JUnit 5 harness: declare routes and variants on tests with {@code @WithRoute},
 * {@code @WithRoutesFile} and {@code @WithVariant}, let {@code FlagRoutingExtension} make them
 * current and fail tests that leak a {@code FlagScope}, and read outbound flag headers back with
 * {@code StampedFlags}. Routes files need snakeyaml-engine, as in core.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.testing {
  requires transitive dev.flagroute.core;
  requires transitive org.junit.jupiter.api;
  requires org.junit.platform.commons;
  requires org.opentest4j;

  exports dev.flagroute.testing;
}
