package dev.flagroute.servlet;

/** The filter's scenarios on Jetty 12 (ee10). */
class JettyFlagRoutingTest extends FlagRoutingScenarios {
  @Override
  EmbeddedContainer newContainer() {
    return new JettyContainer();
  }
}
