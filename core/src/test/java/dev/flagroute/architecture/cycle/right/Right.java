package dev.flagroute.architecture.cycle.right;

import dev.flagroute.architecture.cycle.left.Left;

/** The other end of a package cycle that {@code PackageCyclesTest} must find. */
public final class Right {
  /** Ties this package to the other one. */
  public Left left() {
    return new Left();
  }
}
