/**
 * Signed override tokens that let testers force variants at the edge:
 * {@link dev.flagroute.override.OverrideTokens} mints and verifies them, giving an
 * {@link dev.flagroute.override.OverrideResult} or an {@link dev.flagroute.override.OverrideRejection}.
 */
package dev.flagroute.override;
