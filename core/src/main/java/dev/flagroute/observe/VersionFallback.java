package dev.flagroute.observe;

/**
 * An outbound call made without a mesh that went to its service's stable version because the
 * version its flags route to had no instance (its name did not resolve, or it refused the
 * connection). The request had not been sent when the fallback happened.
 *
 * @param service the called service
 * @param version the version the flags routed the call to
 * @param fallbackVersion the stable version that served the call instead
 * @param cause why {@code version} counted as having no instance, e.g. {@code UnknownHostException: reviews-v3}
 */
public record VersionFallback(String service, String version, String fallbackVersion, String cause) {}
