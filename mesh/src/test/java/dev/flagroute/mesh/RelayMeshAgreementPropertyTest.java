package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The relay reads what the mesh routes, for any headers, not only for what flagroute writes: for
 * arbitrary header lines (flag headers and members of any flag, keys in another case, repeated
 * lines and members, spaces and tabs, percent-encoding, other baggage members, garbage), every
 * codec (with prefixes full of regex metacharacters) and every format ({@link MeshFormat#all()}
 * and Gateway API targeting v1.1), the version the generated rules route a request to is the
 * version the precedence rule gives the variants a relay reads from it. Formats evaluate with their
 * own data plane's semantics; where a format refuses the routes ({@link MeshArbitraries#refusals})
 * there is nothing to compare. The one documented exception: linkerd2-proxy matches each line of a
 * repeated header on its own, while the relay reads the lines joined as Envoy matches them, so for
 * Linkerd a request carrying a flag header on several lines is not compared.
 */
class RelayMeshAgreementPropertyTest {
  private static final List<MeshFormat> FORMATS = formats();

  /** One header line: which flag it is about, which template of value, and which variants fill it. */
  record Line(int flag, boolean flagHeader, List<String> templates, int variant, int other, String name) {}

  @Property(tries = 250)
  void theRelayReadsTheVariantTheMeshRoutesTo(@ForAll("routes") FlagRoutes routes, @ForAll("codecs") HeaderCodec codec,
      @ForAll("lines") List<Line> lines) {
    Map<String, List<String>> relayed = new LinkedHashMap<>();
    MeshRequest.Builder builder = MeshRequest.builder();
    for (Line line : lines) {
      FlagRoute flag = routes.asList().get(line.flag % routes.size());
      String name = line.flagHeader ? codec.match(flag, flag.defaultVariant()).header() : line.name;
      String value = value(codec, routes, flag, line);
      relayed.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      builder.header(line.flagHeader && line.variant % 2 == 0 ? name.toUpperCase(Locale.ROOT) : name, value);
    }
    MeshRequest request = builder.build();
    FlagContext read = FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(codec).build()
        .route(relayed, HeaderGetter.forMultiMap());
    List<String> flagHeaders = codec.headerNames(routes);
    boolean repeated = relayed.entrySet().stream().anyMatch(e -> flagHeaders.contains(e.getKey())
        && e.getValue().size() > 1);
    MeshGenerator generator = MeshGenerator.of(routes, codec, MeshOptions.defaults());
    for (MeshFormat format : FORMATS) {
      Optional<String> yaml = MeshArbitraries.generate(generator, format, routes, MeshOptions.defaults());
      if (yaml.isEmpty() || format == MeshFormat.LINKERD && repeated) {
        Statistics.label(format.id()).collect(yaml.isEmpty() ? "refused" : "linkerd: repeated flag header");
        continue;
      }
      Statistics.label(format.id()).collect("compared");
      MeshRouteEvaluator mesh = MeshRouteEvaluator.of(format, MeshYaml.read(yaml.get(), format.id()));
      for (ServiceRoutes service : routes.serviceRoutes()) {
        String expected = service.version(flag -> read.variant(flag.key()));
        Hit hit = mesh.table().rulesFor(service.service()).hit(request).orElseThrow(
            () -> new AssertionError(format + ": no rule for " + request));
        assertThat(mesh.table().versions(service.service(), hit.rule(), MeshOptions.defaults()))
            .as("%s %s routes %s by '%s'; the relay read %s", format, service.service(), request, hit.rule().name(),
                read.variants())
            .containsExactly(expected);
      }
    }
  }

  /** The value of {@code line}: a flag value or a list of members from templates, or an unrelated value. */
  private static String value(HeaderCodec codec, FlagRoutes routes, FlagRoute flag, Line line) {
    List<String> variants = List.copyOf(flag.variants().keySet());
    String variant = variants.get(line.variant % variants.size());
    String other = variants.get(line.other % variants.size());
    String memberKey = codec.match(flag, variant).type() == dev.flagroute.codec.HeaderMatch.Type.EXACT ? ""
        : memberKey(codec, routes, flag);
    List<String> parts = new ArrayList<>();
    for (String template : line.templates) {
      parts.add(template.replace("K", memberKey).replace("U", memberKey.toUpperCase(Locale.ROOT))
          .replace("V", variant).replace("W", other));
    }
    return String.join(",", parts);
  }

  /** The member key the codec writes for {@code flag}, read off what it writes. */
  private static String memberKey(HeaderCodec codec, FlagRoutes routes, FlagRoute flag) {
    Map<String, String> headers = new LinkedHashMap<>();
    codec.inject(FlagContext.builder(routes).relayed(flag.key(), flag.defaultVariant()).build(), headers,
        dev.flagroute.codec.HeaderSetter.forMap());
    String written = headers.values().iterator().next();
    return written.substring(0, written.indexOf('='));
  }

  @Provide
  Arbitrary<FlagRoutes> routes() {
    return MeshArbitraries.routes();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.perFlag("x-a.b+-"), HeaderCodec.combined(),
        HeaderCodec.combined("x-feature-flags"), HeaderCodec.baggage(), HeaderCodec.baggage("ff+"),
        HeaderCodec.baggage("f*"), HeaderCodec.baggage("f.^$|"));
  }

  @Provide
  Arbitrary<List<Line>> lines() {
    Arbitrary<String> template = Arbitraries.oneOf(
        Arbitraries.of("V", "V", "K=V", "K=V", " V ", "\tV\t", "K=W", " K = V ", "\tK\t=\tV;p=1 ", "U=V", "V%20",
            "K=%76%32", "K=", "K", "=V", "K==V", "K=V x", "xK=V", "Kx=V", "other=1", "o=K=V", "W", "", " ",
            "K=V\u000b", "\u000bV"),
        Arbitraries.strings().withChars("KVW=; \t%.*+").ofMaxLength(6));
    Arbitrary<String> names = Arbitraries.of("x-other", "x-flag-nope", "x-flags-x", "baggage", "x-flags",
        "x-flag-checkout");
    return Combinators.combine(Arbitraries.integers().between(0, 99), Arbitraries.of(true, true, true, false),
        template.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(0, 99),
        Arbitraries.integers().between(0, 99), names).as(Line::new).list().ofMaxSize(5);
  }

  private static List<MeshFormat> formats() {
    List<MeshFormat> formats = new ArrayList<>(MeshFormat.all());
    formats.add(MeshFormat.gatewayApi(GatewayApiVersion.V1_1));
    return List.copyOf(formats);
  }
}
