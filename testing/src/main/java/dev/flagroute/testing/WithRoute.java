package dev.flagroute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares a flag route for a test class or method, and registers {@link FlagRoutingExtension}.
 * Repeatable; a declaration on a method or nested class replaces an outer route of the same flag.
 *
 * <pre>{@code
 * @WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2=canary"}, defaultVariant = "v1")
 * class CheckoutTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(WithRoutes.class)
@ExtendWith(FlagRoutingExtension.class)
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public @interface WithRoute {
  /** The OpenFeature flag key. */
  String flag();

  /** The mesh service (host) the flag steers. */
  String service();

  /**
   * The variants, each {@code name} (its version label is the same) or {@code name=version}.
   */
  String[] variants();

  /** The stable variant; the first variant when left empty. */
  String defaultVariant() default "";
}
