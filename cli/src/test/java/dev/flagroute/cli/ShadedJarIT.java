package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The self-contained {@code flagroute-cli} jar as the build leaves it: it runs with
 * {@code java -jar}, and carries flagroute's licence and notice and, for every library whose
 * classes it bundles, that library's licence text and an entry in {@code META-INF/THIRD-PARTY.txt}.
 * Runs after {@code package} (the surefire execution {@code shaded-jar}), on the jar named by
 * {@code flagroute.cli.jar}.
 */
class ShadedJarIT {
  /** Class-file prefix of each bundled library, to the Maven coordinates THIRD-PARTY.txt must name. */
  private static final Map<String, String> LIBRARIES = Map.of(
      "dev/openfeature/", "dev.openfeature:sdk",
      "com/github/benmanes/caffeine/", "com.github.ben-manes.caffeine:caffeine",
      "org/snakeyaml/engine/", "org.snakeyaml:snakeyaml-engine",
      "com/google/re2j/", "com.google.re2j:re2j",
      "org/slf4j/", "org.slf4j:slf4j-api",
      "com/google/errorprone/annotations/", "com.google.errorprone:error_prone_annotations",
      "org/jspecify/annotations/", "org.jspecify:jspecify");
  /** The licence text each non-Apache library needs, to a phrase only that licence has. */
  private static final Map<String, String> LICENCE_FILES = Map.of(
      "META-INF/licenses/re2j-BSD-3-Clause.txt", "Neither the name of Google Inc. nor the names of its",
      "META-INF/licenses/slf4j-MIT.txt", "Permission is hereby granted, free  of charge");

  private static Path jar;

  @BeforeAll
  static void findJar() {
    String path = System.getProperty("flagroute.cli.jar");
    // set by the pom's shaded-jar execution, which runs after package; absent only when a -Dtest
    // pattern also selects this class for the default execution, before the jar exists
    assumeTrue(path != null, "the jar is checked by the shaded-jar execution, after package");
    jar = Path.of(path);
    assertThat(jar).isRegularFile();
  }

  @Test
  void everyBundledClassBelongsToFlagrouteOrANamedLibrary() throws IOException {
    Set<String> strangers = new TreeSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class"))
          .filter(name -> !name.startsWith("dev/flagroute/"))
          .filter(name -> LIBRARIES.keySet().stream().noneMatch(name::startsWith))
          .map(name -> name.substring(0, Math.max(0, name.lastIndexOf('/'))))
          .forEach(strangers::add);
    }
    assertThat(strangers).as("packages of a library THIRD-PARTY.txt does not name").isEmpty();
  }

  @Test
  void carriesTheLicenceAndNoticeOfEveryBundledLibrary() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Set<String> bundled = file.stream().map(JarEntry::getName)
          .flatMap(name -> LIBRARIES.entrySet().stream().filter(e -> name.startsWith(e.getKey())))
          .map(Map.Entry::getValue).collect(Collectors.toCollection(TreeSet::new));
      assertThat(bundled).as("the libraries the command needs").containsAll(LIBRARIES.values());

      String thirdParty = read(file, "META-INF/THIRD-PARTY.txt");
      for (String library : bundled) {
        assertThat(thirdParty).as("THIRD-PARTY.txt names " + library).contains("(" + library + ")");
      }
      LICENCE_FILES.forEach((licence, phrase) -> {
        assertThat(thirdParty).contains(licence);
        assertThat(read(file, licence)).as(licence).contains("Copyright").contains(phrase);
      });
      assertThat(read(file, "META-INF/LICENSE")).contains("Apache License").contains("Version 2.0, January 2004")
          .contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
      assertThat(read(file, "META-INF/NOTICE")).contains("flagroute\nCopyright").contains("RE2J").contains("THIRD-PARTY.txt");
      assertThat(file.getEntry("META-INF/LICENSE.txt")).as("SLF4J's own LICENSE.txt, replaced by licenses/").isNull();
    }
  }

  @Test
  void runsWithJavaDashJar() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--help")
        .redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).contains("Usage: flagroute <command>").contains("generate").contains("check").contains("token");
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
      assertThat(file.getEntry("module-info.class")).as("a shaded jar is no module").isNull();
    }
  }

  private static String read(JarFile file, String name) {
    JarEntry entry = file.getJarEntry(name);
    assertThat(entry).as(name + " in " + jar.getFileName()).isNotNull();
    try (InputStream in = file.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
