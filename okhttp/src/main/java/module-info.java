/**
 * flagroute for OkHttp 5: {@code FlagStampingInterceptor} stamps the current {@code FlagContext}
 * on every outgoing call and strips the override-token header; without a mesh,
 * {@code VersionRoutingInterceptor} sends each call to the version its flags route to.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.okhttp {
  requires transitive dev.flagroute.core;
  requires transitive okhttp3;

  exports dev.flagroute.okhttp;
}
