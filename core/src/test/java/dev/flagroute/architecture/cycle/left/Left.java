package dev.flagroute.architecture.cycle.left;

import dev.flagroute.architecture.cycle.right.Right;

/** One end of a package cycle that {@code PackageCyclesTest} must find. */
public final class Left {
  /** Ties this package to the other one. */
  public Right right() {
    return new Right();
  }
}
