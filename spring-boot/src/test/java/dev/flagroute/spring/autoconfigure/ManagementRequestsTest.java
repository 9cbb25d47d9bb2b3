package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Which requests {@link ManagementRequests} takes for the actuator's, reading only what it needs. */
class ManagementRequestsTest {
  /** A local port that must not be asked for: the path tells. */
  private static final IntSupplier UNASKED = () -> {
    throw new AssertionError("the local port was read although management shares the server's port");
  };

  private static ManagementRequests of(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return ManagementRequests.of(environment);
  }

  @Test
  void onTheServersPortTheBasePathTellsFromTheApplicationsOwnPath() {
    ManagementRequests management = of(Map.of());

    assertThat(management.matches("/actuator/health", 0, UNASKED)).isTrue();
    assertThat(management.matches("/actuator", 0, UNASKED)).isTrue();
    assertThat(management.matches("/shop/actuator/health/liveness", "/shop".length(), UNASKED)).isTrue();
    assertThat(management.matches("/actuatorx", 0, UNASKED)).isFalse();
    assertThat(management.matches("/shop/actuator", 0, UNASKED)).isFalse();
    assertThat(management.matches("/shop/checkout", "/shop".length(), UNASKED)).isFalse();
    assertThat(management.matches("/act", 0, UNASKED)).isFalse();
    assertThat(management.matches(null, 0, UNASKED)).isFalse();
  }

  @Test
  void aBasePathWithTrailingSlashesOrAtTheRoot() {
    assertThat(of(Map.of("management.endpoints.web.base-path", "/manage//")).matches("/manage/info", 0, UNASKED))
        .isTrue();
    assertThat(of(Map.of("management.endpoints.web.base-path", "/")).matches("/health", 0, UNASKED))
        .as("endpoints at the root cannot be told from the application's paths").isFalse();
  }

  @Test
  void onAPortOfItsOwnThePortTells() {
    ManagementRequests management = of(Map.of("management.server.port", "9001", "server.port", "8080"));

    assertThat(management.matches("/checkout", 0, () -> 9001)).isTrue();
    assertThat(management.matches("/actuator/health", 0, () -> 8080)).isFalse();
  }
}
