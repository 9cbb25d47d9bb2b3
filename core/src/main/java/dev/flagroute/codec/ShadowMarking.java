package dev.flagroute.codec;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.ExtractSink;
import java.util.function.Consumer;

/**
 * A router's bound codec that also carries the shadow marker and the mesh's hosts: outbound calls
 * stamped from a shadow context ({@link FlagContext#isShadow()}) get {@code <shadow header>: 1}, and
 * every stamped call loses whatever marker it had ({@link #strips}), so a marker travels only when
 * re-stamped from a shadow context, never copied from an inbound request. Calls to hosts outside
 * the mesh are refused ({@link #allowsEgress}) and each refusal reported. Reading flags is the
 * wrapped codec's.
 */
final class ShadowMarking extends BoundCodec {
  private final BoundCodec bound;
  private final String shadowHeader;
  private final MeshHosts meshHosts;
  private final Consumer<String> egressBlocked;

  private ShadowMarking(BoundCodec bound, String shadowHeader, MeshHosts meshHosts, Consumer<String> egressBlocked) {
    super(bound.codec, bound.routes, bound.limits, bound.overrideHeader);
    this.bound = bound;
    this.shadowHeader = shadowHeader;
    this.meshHosts = meshHosts;
    this.egressBlocked = egressBlocked;
  }

  /**
   * {@code bound}, also writing and stripping the marker header {@code shadowHeader} (lowercase),
   * stamping calls to {@code meshHosts} only and telling {@code egressBlocked} each host refused.
   */
  static ShadowMarking of(BoundCodec bound, String shadowHeader, MeshHosts meshHosts,
      Consumer<String> egressBlocked) {
    return new ShadowMarking(bound, shadowHeader, meshHosts, egressBlocked);
  }

  /** The header carrying the shadow marker, lowercase. */
  String shadowHeader() {
    return shadowHeader;
  }

  @Override
  <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink) {
    bound.extract(carrier, getter, sink);
  }

  @Override
  public <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
    bound.inject(context, carrier, setter);
    if (context.isShadow()) {
      setter.set(carrier, shadowHeader, WireNames.SHADOW_MARK);
    }
  }

  @Override
  public MeshHosts meshHosts() {
    return meshHosts;
  }

  @Override
  public boolean allowsEgress(String host) {
    return meshHosts.allows(host) || refused(host);
  }

  @Override
  public boolean allowsEgressAuthority(String authority) {
    return meshHosts.allowsAuthority(authority) || refused(authority);
  }

  private boolean refused(String host) {
    egressBlocked.accept(host);
    return false;
  }

  @Override
  public String withoutFlags(String headerName, String value) {
    return AsciiNames.same(shadowHeader, headerName) ? null : bound.withoutFlags(headerName, value);
  }

  /** Also the shadow marker, removed from every stamped call and written again from the context. */
  @Override
  public boolean strips(String headerName) {
    return bound.strips(headerName) || AsciiNames.same(shadowHeader, headerName);
  }
}
