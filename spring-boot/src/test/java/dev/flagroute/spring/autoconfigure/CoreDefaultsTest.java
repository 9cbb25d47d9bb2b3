package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.flagroute.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Spring's defaults are core's: every {@link Setting} is a {@code flagroute.*} property, and the
 * default it takes in Spring (its {@code @DefaultValue} literal, read reflectively, or else the
 * configuration metadata's {@code defaultValue}) is {@link Setting#defaultValue()}, which core
 * takes from the typed constants. A default changed on one side only fails here.
 */
class CoreDefaultsTest {
  @Test
  void everySettingTakesCoresDefaultInSpring() throws IOException {
    String metadata = metadata();
    for (Setting setting : Setting.values()) {
      RecordComponent component = component(setting);
      Optional<String> literal = literal(component);
      Optional<String> listed = listed(metadata, "flagroute." + setting.key());

      Optional<String> spring = literal.isPresent() ? literal : listed;
      assertThat(spring.map(value -> value.toLowerCase(Locale.ROOT))).as("Spring's default of %s", setting)
          .isEqualTo(setting.defaultValue().map(value -> value.toLowerCase(Locale.ROOT)));
      if (literal.isPresent() && listed.isPresent()) {
        assertThat(listed).as("the metadata's default of %s", setting).isEqualTo(literal);
      }
    }
  }

  @Test
  void theDefaultsAreReadFromBothPlaces() throws IOException {
    assertThat(literal(component(Setting.CACHE_TTL))).contains("1m");
    assertThat(literal(component(Setting.HEADER_PREFIX))).isEmpty();
    assertThat(listed(metadata(), "flagroute.header.prefix")).contains("x-flag-");
    assertThat(literal(component(Setting.TARGETING_KEY))).as("the source of the targeting key").contains("none");
  }

  /** The record component of {@link FlagRouteProperties} that {@code setting}'s key names. */
  private static RecordComponent component(Setting setting) {
    Class<?> type = FlagRouteProperties.class;
    RecordComponent component = null;
    for (String segment : setting.key().split("\\.")) {
      assertThat(type.isRecord()).as("%s: %s is a group of properties", setting, type).isTrue();
      String name = camelCase(segment);
      component = Arrays.stream(type.getRecordComponents()).filter(c -> c.getName().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError(setting + " has no Spring property " + name));
      type = component.getType();
    }
    if (type.isRecord()) {
      // a setting Spring spells as a group, such as targeting-key's source and name: its kind
      return type.getRecordComponents()[0];
    }
    return component;
  }

  /** The {@code @DefaultValue} literal of {@code component}, if it has one. */
  private static Optional<String> literal(RecordComponent component) {
    DefaultValue annotation = component.getAnnotation(DefaultValue.class);
    if (annotation == null) {
      RecordComponent[] all = component.getDeclaringRecord().getRecordComponents();
      List<String> names = Arrays.stream(all).map(RecordComponent::getName).toList();
      int index = names.indexOf(component.getName());
      Class<?>[] types = Arrays.stream(all).map(RecordComponent::getType).toArray(Class<?>[]::new);
      try {
        annotation = component.getDeclaringRecord().getDeclaredConstructor(types).getParameters()[index]
            .getAnnotation(DefaultValue.class);
      } catch (NoSuchMethodException e) {
        throw new AssertionError(e);
      }
    }
    return annotation == null || annotation.value().length == 0 ? Optional.empty()
        : Optional.of(String.join(",", annotation.value()));
  }

  /** The configuration metadata's default of property {@code name}, if it lists a scalar one. */
  private static Optional<String> listed(String metadata, String name) {
    List<Object> defaults = JsonPath.read(metadata, "$.properties[?(@.name == '" + name + "')].defaultValue");
    return defaults.stream().filter(value -> !(value instanceof List<?> || value instanceof java.util.Map<?, ?>))
        .map(String::valueOf).findFirst();
  }

  private static String camelCase(String kebab) {
    StringBuilder name = new StringBuilder();
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        name.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return name.toString();
  }

  private static String metadata() throws IOException {
    try (InputStream in = CoreDefaultsTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated configuration metadata").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
