package dev.flagroute.observe;

/**
 * A request that reached a service version other than the one the mesh rules send it to: its
 * trusted flag headers name a variant served by {@code expectedVersion}, yet it arrived at
 * {@code version}. Usually a missing or stale mesh rule, or traffic that bypassed the mesh.
 *
 * @param service the service that received the request
 * @param version the version label of the instance that received it
 * @param flagKey the flag whose variant points elsewhere
 * @param variant the variant the request carries
 * @param expectedVersion the version label serving that variant
 */
public record Misroute(String service, String version, String flagKey, String variant, String expectedVersion) {}
