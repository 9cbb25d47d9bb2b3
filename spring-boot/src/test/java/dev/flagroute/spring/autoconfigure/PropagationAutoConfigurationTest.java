package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Boot's task executor carries the submitting thread's flags once the decorator is registered. */
class PropagationAutoConfigurationTest {
  static final FlagContext FLAGS = FlagContext.builder(FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build())).relayed("checkout", "v2").build();

  final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
      AutoConfigurations.of(FlagRoutePropagationAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

  @Test
  void bootsTaskExecutorRunsTasksWithTheSubmittersFlagsAndLeavesNoneBehind() {
    runner.withPropertyValues("spring.task.execution.pool.core-size=1").run(context -> {
      ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
      Future<FlagContext> inside;
      try (FlagScope ignored = FLAGS.makeCurrent()) {
        inside = executor.submit(FlagContext::current);
      }
      assertThat(inside.get(60, TimeUnit.SECONDS)).isEqualTo(FLAGS);
      assertThat(executor.submit(FlagContext::current).get(60, TimeUnit.SECONDS).isEmpty()).isTrue();
    });
  }

  @Test
  void switchedOffByItsProperty() {
    runner.withPropertyValues("flagroute.propagation.task-decorator=false", "spring.task.execution.pool.core-size=1")
        .run(context -> {
          assertThat(context).doesNotHaveBean(ContextPropagatingTaskDecorator.class);
          Future<FlagContext> inside;
          try (FlagScope ignored = FLAGS.makeCurrent()) {
            inside = context.getBean(ThreadPoolTaskExecutor.class).submit(FlagContext::current);
          }
          assertThat(inside.get(60, TimeUnit.SECONDS).isEmpty()).isTrue();
        });
  }

  @Test
  void backsOffWhenTheApplicationHasADecorator() {
    ContextPropagatingTaskDecorator own = new ContextPropagatingTaskDecorator();
    runner.withBean(ContextPropagatingTaskDecorator.class, () -> own)
        .run(context -> assertThat(context.getBean(ContextPropagatingTaskDecorator.class)).isSameAs(own));
  }
}
