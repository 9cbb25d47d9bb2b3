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
 * Sets a flag's variant in the {@code FlagContext} current while a test runs, and registers
 * {@link FlagRoutingExtension}. Flags without one take their default variant. Repeatable; a
 * declaration on a method or nested class replaces an outer one for the same flag.
 *
 * <pre>{@code
 * @Test
 * @WithVariant(flag = "checkout", variant = "v2")
 * void stampsTheCanary() { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(WithVariants.class)
@ExtendWith(FlagRoutingExtension.class)
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public @interface WithVariant {
  /** The flag key; a declared route. */
  String flag();

  /** One of the flag's variants. */
  String variant();
}
