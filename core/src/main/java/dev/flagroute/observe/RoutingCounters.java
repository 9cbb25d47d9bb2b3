package dev.flagroute.observe;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A {@link RoutingListener} that counts, for tests, health checks and simple metrics. */
public final class RoutingCounters implements RoutingListener {
  private final LongAdder decisions = new LongAdder();
  private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

  /** Starts with every count at zero. */
  public RoutingCounters() {
    for (DropReason reason : DropReason.values()) {
      drops.put(reason, new LongAdder());
    }
  }

  @Override
  public void decided(FlagContext context) {
    decisions.increment();
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    drops.get(reason).increment();
  }

  /** Requests routed so far. */
  public long decisions() {
    return decisions.sum();
  }

  /** Inbound headers or flags dropped for {@code reason} so far. */
  public long dropped(DropReason reason) {
    return drops.get(reason).sum();
  }

  /** Inbound headers or flags dropped for any reason so far. */
  public long dropped() {
    return drops.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
