package dev.flagroute.codec;

import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.ExtractSink;

/**
 * A router's bound codec that also carries the shadow marker: outbound calls stamped from a shadow
 * context ({@link FlagContext#isShadow()}) get {@code <shadow header>: 1}, and every stamped call
 * loses whatever marker it had ({@link #strips}), so a marker travels only when re-stamped from a
 * shadow context, never copied from an inbound request. Reading flags is the wrapped codec's.
 */
final class ShadowMarking extends BoundCodec {
  private final BoundCodec bound;
  private final String shadowHeader;

  private ShadowMarking(BoundCodec bound, String shadowHeader) {
    super(bound.codec, bound.routes, bound.limits, bound.overrideHeader);
    this.bound = bound;
    this.shadowHeader = shadowHeader;
  }

  /** {@code bound}, also writing and stripping the marker header {@code shadowHeader} (lowercase). */
  static ShadowMarking of(BoundCodec bound, String shadowHeader) {
    return new ShadowMarking(bound, shadowHeader);
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

  /** Also the shadow marker, removed from every stamped call and written again from the context. */
  @Override
  public boolean strips(String headerName) {
    return bound.strips(headerName) || shadowHeader.equalsIgnoreCase(headerName);
  }
}
