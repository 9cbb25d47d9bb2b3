package dev.flagroute.mesh.cli;

import dev.flagroute.codec.HeaderCodec;
import java.util.Set;

/** The {@code --codec}, {@code --header-prefix} and {@code --header} options shared by commands. */
final class CodecOptions {
  static final Set<String> OPTIONS = Set.of("--codec", "--header-prefix", "--header");
  static final String USAGE = """
        --codec NAME          how flags are stamped: per-flag (default), combined or baggage
        --header-prefix P     per-flag header prefix (default x-flag-), or baggage member prefix (default flag.)
        --header NAME         the combined codec's header (default x-flags)
      """;

  private CodecOptions() {}

  /** The codec the options name. */
  static HeaderCodec codec(Args args) {
    String name = args.value("--codec") == null ? "per-flag" : args.value("--codec");
    String prefix = args.value("--header-prefix");
    String header = args.value("--header");
    try {
      return switch (name) {
        case "per-flag" -> {
          reject(header, "--header", name);
          yield prefix == null ? HeaderCodec.perFlag() : HeaderCodec.perFlag(prefix);
        }
        case "combined" -> {
          reject(prefix, "--header-prefix", name);
          yield header == null ? HeaderCodec.combined() : HeaderCodec.combined(header);
        }
        case "baggage" -> {
          reject(header, "--header", name);
          yield prefix == null ? HeaderCodec.baggage() : HeaderCodec.baggage(prefix);
        }
        default -> throw new UsageException("unknown codec '" + name + "'; expected per-flag, combined or baggage");
      };
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void reject(String value, String option, String codec) {
    if (value != null) {
      throw new UsageException("option " + option + " does not apply to the " + codec + " codec");
    }
  }
}
