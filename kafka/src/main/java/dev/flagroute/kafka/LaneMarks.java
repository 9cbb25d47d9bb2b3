package dev.flagroute.kafka;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.ServiceRoutes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata lane consumers commit offsets with: {@code flagroute-lanes/<routes>} (plus
 * {@code /claimed} on offsets the default version committed for a dead variant), where
 * {@code <routes>} fingerprints the routes of the consuming service. Versions that decide lanes with
 * different routes could each leave a record to the other; the default version recognises that.
 */
final class LaneMarks {
  private static final String PREFIX = "flagroute-lanes/";

  private LaneMarks() {
  }

  /** The mark of {@code service}'s routes: the first 16 hex digits of a SHA-256 over them. */
  static String of(ServiceRoutes service) {
    StringBuilder text = new StringBuilder(service.service()).append('\n');
    for (FlagRoute flag : service.flags()) {
      text.append(flag.key()).append(' ').append(flag.defaultVariant());
      Map<String, String> variants = new TreeMap<>(flag.variants());
      variants.forEach((variant, version) -> text.append(' ').append(variant).append('=').append(version));
      text.append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static String claimed(String mark) {
    return mark + "/claimed";
  }

  /** Whether offset metadata was committed by a lane consumer with other routes than {@code mark}. */
  static boolean foreign(String metadata, String mark) {
    return metadata != null && metadata.startsWith(PREFIX) && !metadata.startsWith(mark);
  }
}
