package dev.flagroute.internal;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;

/**
 * A router's bound codec that also carries the shadow marker: outbound calls stamped from a shadow
 * context ({@link FlagContext#isShadow()}) get {@code <shadow header>: 1}, and every stamped call
 * loses whatever marker it had ({@link #strips}), so a marker travels only when re-stamped from a
 * shadow context, never copied from an inbound request. Reading flags is the wrapped codec's.
 * Not API.
 */
public final class ShadowMarking extends BoundCodec {
  /** The header carrying the shadow marker unless configured. */
  public static final String DEFAULT_HEADER = "x-flagroute-shadow";
  /** The marker's value as flagroute writes it. */
  public static final String MARK = "1";

  private final BoundCodec bound;
  private final String shadowHeader;

  private ShadowMarking(BoundCodec bound, String shadowHeader) {
    super(bound.codec, bound.routes, bound.limits, bound.overrideHeader);
    this.bound = bound;
    this.shadowHeader = shadowHeader;
  }

  /** {@code bound}, also writing and stripping the marker header {@code shadowHeader} (lowercase). */
  public static ShadowMarking of(BoundCodec bound, String shadowHeader) {
    return new ShadowMarking(bound, shadowHeader);
  }

  /** The header carrying the shadow marker, lowercase. */
  public String shadowHeader() {
    return shadowHeader;
  }

  @Override
  public <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink) {
    bound.extract(carrier, getter, sink);
  }

  @Override
  public <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
    bound.inject(context, carrier, setter);
    if (context.isShadow()) {
      setter.set(carrier, shadowHeader, MARK);
    }
  }

  /** Also the shadow marker, removed from every stamped call and written again from the context. */
  @Override
  public boolean strips(String headerName) {
    return bound.strips(headerName) || shadowHeader.equalsIgnoreCase(headerName);
  }
}
