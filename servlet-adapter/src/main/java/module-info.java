/**
 * flagroute for jakarta.servlet 6: {@code FlagRoutingFilter} routes every inbound request (edge or
 * relay) and makes its flags current for the whole request, async dispatches included, and
 * {@code TargetingKeySource} says where a request's targeting key comes from. The servlet API is
 * the container's.
 */
module dev.flagroute.servlet {
  requires transitive dev.flagroute.core;
  requires transitive jakarta.servlet;
  requires org.slf4j;

  exports dev.flagroute.servlet;
}
