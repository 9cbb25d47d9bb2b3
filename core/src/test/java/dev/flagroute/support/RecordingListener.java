package dev.flagroute.support;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideRejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records every routing event as a line of text, in order. */
public final class RecordingListener implements RoutingListener {
  private final List<String> events = new ArrayList<>();

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  private synchronized void record(String event) {
    events.add(event);
  }

  @Override
  public void decided(FlagContext context) {
    record("decided " + context.variants());
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    record("dropped " + header + " " + reason);
  }

  @Override
  public void overrideAccepted(Map<String, String> variants) {
    record("override accepted " + variants);
  }

  @Override
  public void overrideRejected(OverrideRejection reason) {
    record("override rejected " + reason);
  }

  @Override
  public void misrouted(Misroute misroute) {
    record("misrouted " + misroute);
  }

  @Override
  public void evaluationFailed(String flagKey, EvaluationFailure failure) {
    record("failed " + flagKey + " " + failure);
  }
}
