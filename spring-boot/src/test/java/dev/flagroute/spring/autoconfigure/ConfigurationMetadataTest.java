package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata spring-boot-configuration-processor generated: every property described. */
class ConfigurationMetadataTest {
  @Test
  void everyPropertyHasADescription() throws IOException {
    List<Map<String, Object>> properties = JsonPath.read(metadata(), "$.properties[*]");

    assertThat(properties).extracting(p -> p.get("name")).contains("flagroute.enabled", "flagroute.mode",
        "flagroute.routes", "flagroute.routes-file", "flagroute.evaluate-missing", "flagroute.deadline",
        "flagroute.cache.size", "flagroute.cache.ttl", "flagroute.cache.key-attributes",
        "flagroute.cache.ignored-attributes", "flagroute.override.audience", "flagroute.override.secret",
        "flagroute.override.header", "flagroute.service.name", "flagroute.service.version", "flagroute.header.codec",
        "flagroute.header.prefix", "flagroute.limits.max-flags", "flagroute.targeting-key.source",
        "flagroute.openfeature.domain", "flagroute.servlet.enabled", "flagroute.webflux.enabled",
        "flagroute.outbound.rest-client", "flagroute.outbound.web-client", "flagroute.outbound.grpc",
        "flagroute.propagation.task-decorator", "flagroute.metrics.enabled");
    assertThat(properties).allSatisfy(property -> assertThat((String) property.get("description"))
        .as("description of %s", property.get("name")).isNotBlank().endsWith("."));
  }

  /** Properties with no default: unset means "none" (each description says what happens then). */
  private static final List<String> UNSET_BY_DEFAULT = List.of("flagroute.mode", "flagroute.routes",
      "flagroute.routes-file", "flagroute.routes-watch", "flagroute.deadline", "flagroute.override.secret", "flagroute.override.secret-file",
      "flagroute.override.audience",
      "flagroute.service.name", "flagroute.service.version", "flagroute.targeting-key.name",
      "flagroute.openfeature.domain", "flagroute.servlet.debug-header");

  @Test
  void everyDefaultIsVisible() throws IOException {
    List<Map<String, Object>> properties = JsonPath.read(metadata(), "$.properties[*]");

    assertThat(properties).filteredOn(property -> ((String) property.get("name")).startsWith("flagroute."))
        .filteredOn(property -> !UNSET_BY_DEFAULT.contains((String) property.get("name")))
        .allSatisfy(property -> assertThat(property).as("default of %s", property.get("name"))
            .containsKey("defaultValue"));
    assertThat(JsonPath.<List<Object>>read(metadata(), "$.properties[?(@.name == 'flagroute.header.prefix')].defaultValue"))
        .containsExactly("x-flag-");
    assertThat(JsonPath.<List<Object>>read(metadata(),
        "$.properties[?(@.name == 'management.health.flagroute.enabled')].defaultValue")).containsExactly(true);
  }

  @Test
  void defaultsAreListed() throws IOException {
    assertThat(JsonPath.<List<Object>>read(metadata(), "$.properties[?(@.name == 'flagroute.cache.ttl')].defaultValue"))
        .containsExactly("1m");
    assertThat(JsonPath.<List<Object>>read(metadata(), "$.properties[?(@.name == 'flagroute.override.header')].defaultValue"))
        .containsExactly("x-flagroute-override");
  }

  private static String metadata() throws IOException {
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated configuration metadata").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
