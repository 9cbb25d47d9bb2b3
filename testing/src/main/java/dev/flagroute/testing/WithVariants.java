package dev.flagroute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Holds repeated {@link WithVariant} declarations; write {@code @WithVariant} several times instead. */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(FlagRoutingExtension.class)
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public @interface WithVariants {
  /** The variants. */
  WithVariant[] value();
}
