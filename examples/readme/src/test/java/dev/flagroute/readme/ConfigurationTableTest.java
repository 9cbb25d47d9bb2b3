package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.config.InvalidSettingException;
import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.config.SettingSource;
import dev.flagroute.config.TargetingKey;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/configuration.md against core's settings model: one row per
 * {@link Setting}, keyed as {@link Setting#key()}, each with the default the model applies. A
 * default written as a value must change nothing when set explicitly; {@code none} must be a
 * setting the model leaves unset; {@code required} must be the mode.
 */
class ConfigurationTableTest {
  private static final Path PAGE = ReadmeSnippetsTest.ROOT.resolve("docs/configuration.md");
  private static final String HEADER = "| setting | Spring property | servlet init-param | CLI | default | what |";
  private static final int KEY = 1;
  private static final int SPRING = 2;
  private static final int DEFAULT = 5;
  /** How {@link RoutingSettings#effective()} shows a setting that is not set. */
  private static final String NOT_SET = "not set";

  @Test
  void everySettingHasOneRowNamingItsSpringProperty() throws IOException {
    Map<String, List<String>> rows = rows();

    assertThat(rows.keySet()).containsExactlyElementsOf(Arrays.stream(Setting.values()).map(Setting::key).toList());
    rows.forEach((key, cells) -> assertThat(cells.get(SPRING)).as("Spring property of %s", key)
        .contains("`flagroute." + key));
  }

  @Test
  void everyDefaultIsTheOneTheModelApplies() throws IOException {
    Map<String, List<String>> rows = rows();
    for (Setting setting : Setting.values()) {
      String cell = rows.get(setting.key()).get(DEFAULT);
      switch (cell) {
        case "required" -> assertRequired(setting);
        case "none" -> assertUnset(setting);
        default -> assertDefault(setting, unquote(cell));
      }
    }
  }

  /** Only the mode is required: unset, the model has none and cannot build a router. */
  private static void assertRequired(Setting setting) {
    assertThat(setting).as("the only required setting").isEqualTo(Setting.MODE);
    RoutingSettings empty = read(Map.of());
    assertThat(empty.mode()).isNull();
    assertThatThrownBy(() -> empty.routerBuilder(routes())).isInstanceOf(InvalidSettingException.class);
  }

  /** The model leaves {@code setting} unset when nothing is written. */
  private static void assertUnset(Setting setting) {
    RoutingSettings empty = read(Map.of());
    Map<String, String> view = empty.effective();
    String as = setting.key() + " is documented as none";
    switch (setting) {
      case TARGETING_KEY -> assertThat(empty.targetingKey()).as(as).isEqualTo(TargetingKey.NONE);
      case ATTRIBUTE_HEADERS -> assertThat(empty.attributeHeaders()).as(as).isEmpty();
      case CACHE_KEY_ATTRIBUTES, CACHE_IGNORED_ATTRIBUTES ->
          assertThat(view.get("cache")).as(as).endsWith("keyed on the targeting key and every attribute");
      case DEADLINE -> assertThat(view.get(Setting.DEADLINE.key())).as(as).isEqualTo("none");
      case OVERRIDE_SECRET, OVERRIDE_SECRET_FILE ->
          assertThat(view.get(Setting.OVERRIDE_SECRET.key())).as(as).isEqualTo(NOT_SET);
      case OVERRIDE_AUDIENCE -> assertThat(view.get(setting.key())).as(as).isEqualTo(NOT_SET);
      case SERVICE_NAME, SERVICE_VERSION -> assertThat(view.get("service")).as(as).isEqualTo(NOT_SET);
      case GUARD_FLAGS -> assertThat(empty.guardFlags()).as(as).isEmpty();
      case VERDICT_FLAGS -> assertThat(empty.verdictFlags()).as(as).isEmpty();
      default -> throw new AssertionError(as + ", but the model gives it a default: write the default in the table");
    }
  }

  /**
   * Writing {@code value} for {@code setting} changes nothing the model reports, in the smallest
   * context where the setting applies (its codec, a guarded flag, an override secret).
   */
  private static void assertDefault(Setting setting, String value) {
    Map<Setting, String> context = new EnumMap<>(Setting.class);
    switch (setting) {
      case HEADER_NAME -> context.put(Setting.CODEC, "combined");
      case MEMBER_PREFIX -> context.put(Setting.CODEC, "baggage");
      case GUARD_FAILURE_RATIO, GUARD_MIN_REQUESTS, GUARD_MARGIN, GUARD_WINDOW, GUARD_COOL_DOWN, GUARD_PROBE_SHARE,
          GUARD_PROBE_REQUESTS -> {
        context.put(Setting.MODE, "edge");
        context.put(Setting.GUARD_FLAGS, "checkout");
      }
      case VERDICT_ALPHA, VERDICT_MIN_REQUESTS, VERDICT_ERROR_DIFFERENCE, VERDICT_SLOW_SHARE_DIFFERENCE,
          VERDICT_SLOW_QUANTILE, VERDICT_CALIBRATION_REQUESTS, VERDICT_HOLD_BACK_WORSE -> {
        context.put(Setting.MODE, "edge");
        context.put(Setting.VERDICT_FLAGS, "checkout");
      }
      case OVERRIDE_MAX_TTL -> {
        // effective() does not show the token lifetime: compare with the model's default directly
        context.put(Setting.MODE, "edge");
        context.put(Setting.OVERRIDE_SECRET, secret());
        assertThat(shortDuration(value)).as("default of %s", setting.key()).isEqualTo(OverrideTokens.DEFAULT_MAX_TTL);
      }
      default -> { }
    }
    Map<Setting, String> written = new EnumMap<>(context);
    written.put(setting, value);

    assertThat(read(written).effective()).as("%s written as its documented default '%s'", setting.key(), value)
        .isEqualTo(read(context).effective());
  }

  /** The table's rows: cells by column, keyed by the setting's key without backticks. */
  private static Map<String, List<String>> rows() throws IOException {
    List<String> lines = Files.readAllLines(PAGE);
    int header = lines.indexOf(HEADER);
    assertThat(header).as("%s has the settings table headed%n%s", PAGE, HEADER).isNotNegative();
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      List<String> cells = Arrays.stream(lines.get(i).split("\\|", -1)).map(String::strip).toList();
      assertThat(cells).as("cells of line %d", i + 1).hasSize(8);
      String key = unquote(cells.get(KEY));
      assertThat(rows.put(key, cells)).as("a second row for %s", key).isNull();
    }
    return rows;
  }

  private static String unquote(String cell) {
    return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
  }

  private static RoutingSettings read(Map<Setting, String> values) {
    return RoutingSettings.read(SettingSource.of(values, setting -> "flagroute." + setting.key()));
  }

  private static FlagRoutes routes() {
    return FlagRoutes.of(FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").defaultVariant("v1")
        .build());
  }

  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A duration as the table writes it: a number and one of ms, s, m, h, d. */
  private static Duration shortDuration(String value) {
    String unit = value.replaceAll("[0-9]", "");
    long amount = Long.parseLong(value.substring(0, value.length() - unit.length()));
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new AssertionError("not a duration as the table writes one: " + value);
    };
  }
}
