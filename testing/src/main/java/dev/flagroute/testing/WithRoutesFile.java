package dev.flagroute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares the flag routes of a YAML or JSON routes file on the test class path (see
 * {@code FlagRoutesFile}), and registers {@link FlagRoutingExtension}. {@link WithRoute} on the same
 * element, a nested class or a method replaces a route of the same flag. Needs
 * {@code org.snakeyaml:snakeyaml-engine} on the test class path.
 *
 * <pre>{@code
 * @WithRoutesFile("flag-routes.yaml")
 * class CheckoutTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(FlagRoutingExtension.class)
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public @interface WithRoutesFile {
  /** The resource path from the class path root, such as {@code flag-routes.yaml}. */
  String value();
}
