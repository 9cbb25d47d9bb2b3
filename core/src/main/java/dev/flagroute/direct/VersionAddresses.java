package dev.flagroute.direct;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where each version of a service answers when there is no mesh: a host naming rule, by default
 * {@value #DEFAULT_NAMING} (a Kubernetes Service per version, e.g. {@code reviews-v2}), with
 * optional pinned addresses for single versions (local runs, tests). Immutable; every change
 * returns a copy.
 *
 * <p>The rule's placeholders are {@code {service}} and {@code {version}}, and {@code {version}} is
 * required; e.g. {@code {service}-{version}.shop.svc.cluster.local}. A named host keeps the port
 * of the call it replaces; a pinned address may give its own port.
 *
 * <pre>{@code
 * VersionAddresses addresses = VersionAddresses.naming("{service}-{version}.shop.svc.cluster.local")
 *     .pin("reviews", "v2", "localhost:8082");
 * }</pre>
 */
public final class VersionAddresses {
  /** The default naming rule: a Kubernetes Service per version in the caller's namespace. */
  public static final String DEFAULT_NAMING = "{service}-{version}";

  private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern LEFTOVER = Pattern.compile("\\{[^}]*}");
  private static final VersionAddresses DEFAULTS = new VersionAddresses(DEFAULT_NAMING, Map.of());

  private final String naming;
  private final Map<String, Address> pinned;

  private VersionAddresses(String naming, Map<String, Address> pinned) {
    this.naming = naming;
    this.pinned = Map.copyOf(pinned);
  }

  /** The default naming rule, {@value #DEFAULT_NAMING}, and no pinned address. */
  public static VersionAddresses defaults() {
    return DEFAULTS;
  }

  /**
   * Names each version's host by {@code rule}.
   *
   * @throws IllegalArgumentException if the rule lacks {@code {version}}, has another placeholder,
   *     or cannot form a host name
   */
  public static VersionAddresses naming(String rule) {
    Objects.requireNonNull(rule, "rule");
    if (!rule.contains("{version}")) {
      throw new IllegalArgumentException("version naming rule '" + rule + "' lacks {version}; every version needs a host"
          + " of its own, e.g. " + DEFAULT_NAMING);
    }
    String sample = rule.replace("{service}", "svc").replace("{version}", "v1");
    if (LEFTOVER.matcher(sample).find()) {
      throw new IllegalArgumentException("version naming rule '" + rule + "' has a placeholder other than {service} and"
          + " {version}");
    }
    if (!HOST.matcher(sample).matches()) {
      throw new IllegalArgumentException("version naming rule '" + rule + "' does not form a host name (lowercase"
          + " letters, digits, '-' and '.'; no port)");
    }
    return new VersionAddresses(rule, Map.of());
  }

  /**
   * A copy that sends {@code version} of {@code service} to {@code hostAndPort} instead of the
   * named host, e.g. {@code localhost:8082}; without a port the call's port is kept.
   *
   * @throws IllegalArgumentException if {@code hostAndPort} is not {@code host} or {@code host:port}
   */
  public VersionAddresses pin(String service, String version, String hostAndPort) {
    Map<String, Address> copy = new LinkedHashMap<>(pinned);
    copy.put(key(service, version), Address.parse(hostAndPort));
    return new VersionAddresses(naming, copy);
  }

  /** The naming rule. */
  public String naming() {
    return naming;
  }

  /**
   * The address of {@code version} of {@code service}: the pinned one, else the named host with
   * port {@code -1} (keep the call's port).
   *
   * @throws IllegalArgumentException if the rule forms no valid host name for these labels
   */
  public Address address(String service, String version) {
    Address pin = pinned.get(key(service, version));
    if (pin != null) {
      return pin;
    }
    String host = naming.replace("{service}", service).replace("{version}", version).toLowerCase(Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("version naming rule '" + naming + "' makes '" + host + "' of service '"
          + service + "' and version '" + version + "', which is not a host name");
    }
    return new Address(host, -1);
  }

  private static String key(String service, String version) {
    return Objects.requireNonNull(service, "service") + "\n" + Objects.requireNonNull(version, "version");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionAddresses other && naming.equals(other.naming) && pinned.equals(other.pinned);
  }

  @Override
  public int hashCode() {
    return 31 * naming.hashCode() + pinned.hashCode();
  }

  @Override
  public String toString() {
    return "VersionAddresses{" + naming + (pinned.isEmpty() ? "" : ", " + pinned.size() + " pinned") + "}";
  }

  /**
   * A host and port.
   *
   * @param host the host name or IP literal
   * @param port the port, or {@code -1} to keep the call's port
   */
  public record Address(String host, int port) {
    /** Checks the parts. */
    public Address {
      Objects.requireNonNull(host, "host");
      if (host.isEmpty() || port < -1 || port > 65_535) {
        throw new IllegalArgumentException("not an address: '" + host + "', port " + port);
      }
    }

    /** This address's port, or {@code callerPort} when it keeps the call's port. */
    public int port(int callerPort) {
      return port == -1 ? callerPort : port;
    }

    static Address parse(String hostAndPort) {
      Objects.requireNonNull(hostAndPort, "hostAndPort");
      int colon = hostAndPort.lastIndexOf(':');
      if (colon < 0) {
        return new Address(hostAndPort, -1);
      }
      try {
        return new Address(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not host or host:port: '" + hostAndPort + "'", e);
      }
    }
  }
}
