/**
 * flagroute for {@code java.net.http}: {@code FlagHttpRequests} stamps the current
 * {@code FlagContext} on an {@code HttpRequest} and strips the override-token header;
 * {@code VersionRoutingHttpClient} sends each request to the version its flags route to, without a mesh.
 */
module dev.flagroute.jdkhttp {
  requires transitive dev.flagroute.core;
  requires transitive java.net.http;

  exports dev.flagroute.jdkhttp;
}
