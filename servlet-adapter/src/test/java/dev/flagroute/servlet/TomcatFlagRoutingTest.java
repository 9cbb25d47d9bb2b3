package dev.flagroute.servlet;

/** The filter's scenarios on Tomcat 11. */
class TomcatFlagRoutingTest extends FlagRoutingScenarios {
  @Override
  EmbeddedContainer newContainer() {
    return new TomcatContainer();
  }
}
