package dev.flagroute.direct;

import dev.flagroute.direct.VersionAddresses.Address;

/**
 * Where one outbound call goes without a mesh: the version of the called service that its flags
 * route to, and that version's address.
 *
 * @param service the called service
 * @param version the version the call goes to
 * @param address where that version answers
 * @param stableVersion the service's stable version, where the call falls back to
 */
public record VersionTarget(String service, String version, Address address, String stableVersion) {
  /** Whether the call goes to the stable version, so that there is nothing to fall back to. */
  public boolean isStable() {
    return version.equals(stableVersion);
  }
}
