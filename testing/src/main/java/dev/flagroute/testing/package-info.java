/**
 * A JUnit 5 harness for code that routes on flags: declare routes and variants with annotations
 * ({@link dev.flagroute.testing.WithRoute}, {@link dev.flagroute.testing.WithRoutesFile},
 * {@link dev.flagroute.testing.WithVariant}), let {@link dev.flagroute.testing.FlagRoutingExtension}
 * make them current and clean up, and check outbound headers with
 * {@link dev.flagroute.testing.StampedFlags}. Needs {@code org.junit.jupiter:junit-jupiter-api}.
 */
package dev.flagroute.testing;
