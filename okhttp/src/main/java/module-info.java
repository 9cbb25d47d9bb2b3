/**
 * flagroute for OkHttp 5: {@code FlagStampingInterceptor} stamps the current {@code FlagContext}
 * on every outgoing call and strips the override-token header.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.okhttp {
  requires transitive dev.flagroute.core;
  requires transitive okhttp3;

  exports dev.flagroute.okhttp;
}
