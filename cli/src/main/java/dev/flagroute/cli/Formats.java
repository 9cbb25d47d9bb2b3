package dev.flagroute.cli;

import dev.flagroute.mesh.MeshFormat;
import java.util.stream.Collectors;

/** The mesh formats as usage texts show them, from {@link MeshFormat#all()}. */
final class Formats {
  private Formats() {}

  /** Every format's id, joined by {@code separator}: {@code istio|gateway-api}. */
  static String ids(String separator) {
    return MeshFormat.all().stream().map(MeshFormat::id).collect(Collectors.joining(separator));
  }

  /** One indented line per format: its id and what it writes. */
  static String list() {
    StringBuilder list = new StringBuilder();
    MeshFormat.all().forEach(f -> list.append(String.format("  %-21s %s%n", f.id(), f.description())));
    return list.toString();
  }
}
