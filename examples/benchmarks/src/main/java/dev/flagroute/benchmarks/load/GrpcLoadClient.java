package dev.flagroute.benchmarks.load;

import dev.flagroute.benchmarks.LoadFlags;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.grpc.FlagClientInterceptor;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load client of {@code run-load.sh grpc}: closed loop, a fixed number of calls outstanding at
 * every moment over a few channels, each completed call followed at once by the next. It stays up
 * for the whole run, so its JIT warms once, and takes one command a line on standard input,
 * answering each with one line:
 *
 * <ul>
 *   <li>{@code check <path> <target>}: one call; answers the response ({@code flags=<n>});
 *   <li>{@code run <path> <target> <seconds>}: loads the target for that long; answers
 *       {@code <completed calls> <calls per second> <failed calls>}.
 * </ul>
 *
 * <p>Every call carries the same metadata on both paths: the ordinary entries (a user id, two
 * attributes, a trace parent and a request id) and the ten flag entries ({@code x-flag-<flag>}), so
 * that the only difference is flagroute's own work. On the {@code flagged} path the channels have
 * flagroute's client interceptor and every call is made in a context of ten flags, which the
 * interceptor stamps: the client half of the interceptor pair. On the {@code plain} path the same
 * ten entries are attached by hand, as fixed metadata, and the server has no interceptor to read
 * them. Arguments: calls outstanding (16) and channels (1).
 */
public final class GrpcLoadClient {
  private static final byte[] REQUEST = "ping".getBytes(StandardCharsets.US_ASCII);
  private static final long CALL_TIMEOUT_SECONDS = 10;

  private final int concurrency;
  private final int channelCount;
  private final FlagContext flags;
  private final Map<String, List<Channel>> channels = new HashMap<>();
  private final List<ManagedChannel> opened = new ArrayList<>();

  private GrpcLoadClient(int concurrency, int channelCount) {
    this.concurrency = concurrency;
    this.channelCount = channelCount;
    FlagContext.Builder builder = FlagContext.builder(LoadFlags.routes());
    for (int i = 0; i < LoadFlags.routes().size(); i++) {
      builder.relayed(LoadFlags.routes().asList().get(i).key(), LoadFlags.stampedVariant(i));
    }
    this.flags = builder.build();
  }

  /** Reads commands until standard input ends. */
  public static void main(String[] args) throws Exception {
    GrpcLoadClient client = new GrpcLoadClient(args.length > 0 ? Integer.parseInt(args[0]) : 16,
        args.length > 1 ? Integer.parseInt(args[1]) : 1);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        System.out.println(client.answer(line.strip().split("\\s+")));
        System.out.flush();
      }
    } finally {
      client.opened.forEach(ManagedChannel::shutdownNow);
    }
  }

  private String answer(String[] command) throws InterruptedException {
    try {
      if (command.length == 3 && command[0].equals("check")) {
        return check(command[1], URI.create(command[2]));
      }
      if (command.length == 4 && command[0].equals("run")) {
        return run(command[1], URI.create(command[2]), Long.parseLong(command[3]));
      }
      return "error: unknown command " + String.join(" ", command);
    } catch (RuntimeException e) {
      return "error: " + e;
    }
  }

  private String check(String path, URI target) {
    try (FlagScope ignored = scope(path)) {
      byte[] response = ClientCalls.blockingUnaryCall(channels(path, target).get(0), LoadMethod.methodOf(target),
          callOptions(), REQUEST);
      return new String(response, StandardCharsets.US_ASCII);
    }
  }

  private String run(String path, URI target, long seconds) throws InterruptedException {
    Round round = new Round(path, channels(path, target), LoadMethod.methodOf(target),
        System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      round.call(i);
    }
    if (!round.done.await(seconds + 2 * CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      return "error: calls still outstanding " + (seconds + 2 * CALL_TIMEOUT_SECONDS) + " s after the start";
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (round.firstError.get() != null) {
      System.err.println("first failed call: " + round.firstError.get());
    }
    return String.format("%d %.2f %d", round.completed.get(), round.completed.get() / elapsed, round.failed.get());
  }

  /** The flags' scope on the flagged path, where the client interceptor stamps them; none on the plain one. */
  private FlagScope scope(String path) {
    return LoadServer.FLAGGED.equals(path) ? flags.makeCurrent() : FlagContext.empty().makeCurrent();
  }

  private static CallOptions callOptions() {
    return CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private List<Channel> channels(String path, URI target) {
    return channels.computeIfAbsent(path + " " + target, key -> {
      List<Channel> list = new ArrayList<>();
      for (int i = 0; i < channelCount; i++) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(target.getHost(), target.getPort())
            .usePlaintext().directExecutor().build();
        opened.add(channel);
        Channel intercepted = ClientInterceptors.intercept(channel,
            MetadataUtils.newAttachHeadersInterceptor(LoadMethod.ordinaryMetadata()));
        list.add(LoadServer.FLAGGED.equals(path)
            ? ClientInterceptors.intercept(intercepted, FlagClientInterceptor.create(HeaderCodec.perFlag()))
            : ClientInterceptors.intercept(intercepted, MetadataUtils.newAttachHeadersInterceptor(flagMetadata())));
      }
      return list;
    });
  }


  /** The ten flag entries the flagged path's interceptor stamps, written by hand for the plain path. */
  private static Metadata flagMetadata() {
    Metadata metadata = new Metadata();
    LoadFlags.stampedHeaders().forEach((key, value) -> LoadMethod.put(metadata, key, value));
    return metadata;
  }


  /** One round's calls: each of the outstanding ones is followed by the next until the deadline. */
  private final class Round {
    private final String path;
    private final List<Channel> channels;
    private final MethodDescriptor<byte[], byte[]> method;
    private final long deadline;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(concurrency);

    Round(String path, List<Channel> channels, MethodDescriptor<byte[], byte[]> method, long deadline) {
      this.path = path;
      this.channels = channels;
      this.method = method;
      this.deadline = deadline;
    }

    /** Makes the next call of caller {@code i}, or ends it when the time is up. */
    void call(int i) {
      if (System.nanoTime() - deadline >= 0) {
        done.countDown();
        return;
      }
      ClientCall<byte[], byte[]> call;
      try (FlagScope ignored = scope(path)) {
        call = channels.get(i % channels.size()).newCall(method, callOptions());
      }
      ClientCalls.asyncUnaryCall(call, REQUEST, new StreamObserver<>() {
        @Override
        public void onNext(byte[] response) {
          // the answer was checked before the load; only the count matters now
        }

        @Override
        public void onError(Throwable error) {
          failed.incrementAndGet();
          firstError.compareAndSet(null, error);
          call(i);
        }

        @Override
        public void onCompleted() {
          completed.incrementAndGet();
          call(i);
        }
      });
    }
  }
}
