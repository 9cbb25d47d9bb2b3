package dev.flagroute.demo.app;

import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import java.time.Duration;
import java.util.List;

/**
 * The demo shop's shape: {@code frontend} (the edge) calls {@code reviews} over HTTP, which calls
 * {@code ratings} over gRPC. Which versions of reviews and ratings exist follows from the routes
 * file: one per version label its flags map to.
 */
public final class Shop {
  /** The edge service. */
  public static final String FRONTEND = "frontend";
  /** The HTTP service behind the edge. */
  public static final String REVIEWS = "reviews";
  /** The gRPC service behind reviews. */
  public static final String RATINGS = "ratings";
  /** The port every service listens on in a cluster. */
  public static final int PORT = 9080;

  private Shop() {}

  /**
   * How the frontend guards the flags steering reviews, tuned for a short demo of four v2 users: a
   * variant trips when more than half of at least 4 users in 30 s had a failure (at least 3 of
   * them, and 10 points more than the default's); after 1 s all its users probe it, and 2 users'
   * probes decide.
   */
  public static GuardPolicy guardPolicy() {
    return GuardPolicy.builder().failureRatio(0.5).minRequests(4).margin(0.1).window(Duration.ofSeconds(30))
        .coolDown(Duration.ofSeconds(1)).probeShare(1.0).probeRequests(2).build();
  }

  /** The mesh options of the generated rules: port {@value #PORT}, ratings speaks gRPC. */
  public static MeshOptions meshOptions() {
    return MeshOptions.builder().port(PORT).grpc(RATINGS).build();
  }

  /**
   * The versions of {@code service}: the stable one first, then every other version its flags
   * map to, in declaration order.
   *
   * @throws IllegalArgumentException if no flag steers {@code service}
   */
  public static List<String> versions(FlagRoutes routes, String service) {
    ServiceRoutes steering = routes.service(service);
    if (steering == null) {
      throw new IllegalArgumentException("the routes file steers no flag to service '" + service
          + "'; the demo needs one for each of " + List.of(REVIEWS, RATINGS));
    }
    return steering.versions();
  }
}
