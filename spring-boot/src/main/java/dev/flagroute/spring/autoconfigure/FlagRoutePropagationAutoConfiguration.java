package dev.flagroute.spring.autoconfigure;

import io.micrometer.context.ContextSnapshotFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Registers a {@link ContextPropagatingTaskDecorator}, which Boot applies to the task executors it
 * auto-configures (and so to {@code @Async} methods): tasks run with the flags, and every other
 * context-propagation thread-local, of the thread that submitted them. Switched off by
 * {@code flagroute.propagation.task-decorator=false}; backs off when the application already has
 * such a decorator.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
@AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
@ConditionalOnClass({ContextSnapshotFactory.class, ContextPropagatingTaskDecorator.class})
@ConditionalOnBooleanProperty(name = {"flagroute.enabled", "flagroute.propagation.task-decorator"},
    matchIfMissing = true)
public class FlagRoutePropagationAutoConfiguration {
  /** Created by Spring Boot when it applies this auto-configuration. */
  public FlagRoutePropagationAutoConfiguration() {}

  /** The decorator Boot's task executors pick up. */
  @Bean
  @ConditionalOnMissingBean(ContextPropagatingTaskDecorator.class)
  public ContextPropagatingTaskDecorator flagRouteTaskDecorator() {
    return new ContextPropagatingTaskDecorator();
  }
}
