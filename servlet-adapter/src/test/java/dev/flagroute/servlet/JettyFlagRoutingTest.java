package dev.flagroute.servlet;

/** The filter's scenarios on Jetty 12 (ee10); the full concurrent-users soak runs here. */
class JettyFlagRoutingTest extends FlagRoutingScenarios {
  @Override
  EmbeddedContainer newContainer() {
    return new JettyContainer();
  }

  @Override
  boolean soaksInFull() {
    return true;
  }
}
