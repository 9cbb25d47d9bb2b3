package dev.flagroute.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Core's packages form no import cycle, unless a package justifies its two-way ties in its
 * {@code package-info.java} Javadoc with {@code @cycle-justified <package>, <package>: <reason>}:
 * the dependencies between that package and the packages it names, both ways, are then left out,
 * and whatever else forms a cycle still fails. ArchUnit reads the compiled classes (every
 * dependency a class file holds, not only imports); the justifications are read from the sources.
 */
class PackageCyclesTest {
  private static final Pattern JUSTIFIED = Pattern.compile("@cycle-justified\\s+([\\w.,\\s]+?):");

  @Test
  void corePackagesFormNoUnjustifiedCycle() {
    JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPath(Path.of("target", "classes"));
    assertThat(core.stream().map(JavaClass::getPackageName)).as("core's classes were read")
        .contains("dev.flagroute.router", "dev.flagroute.codec", "dev.flagroute.internal.access");

    cyclesRule("dev.flagroute", justifications(Path.of("src", "main", "java"), core)).check(core);
  }

  @Test
  void theRuleFailsOnACycleUntilAPackageJustifiesIt() {
    JavaClasses fixtures = new ClassFileImporter().importPackages(getClass().getPackageName() + ".cycle");
    String left = getClass().getPackageName() + ".cycle.left";
    String right = getClass().getPackageName() + ".cycle.right";

    assertThatThrownBy(() -> cyclesRule(left.replace(".left", ""), Map.of()).check(fixtures))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    assertThatThrownBy(() -> cyclesRule(left.replace(".left", ""), Map.of(left, Set.of("elsewhere")))
        .check(fixtures)).as("a justification naming another package").isInstanceOf(AssertionError.class);
    cyclesRule(left.replace(".left", ""), Map.of(left, Set.of(right))).check(fixtures);
  }

  /** No cycles between the packages under {@code root}, but the justified ties. */
  private static SliceRule cyclesRule(String root, Map<String, Set<String>> justified) {
    SliceRule rule = slices().matching(root + ".(**)").should().beFreeOfCycles();
    for (Map.Entry<String, Set<String>> entry : justified.entrySet()) {
      for (String other : entry.getValue()) {
        rule = rule.ignoreDependency(resideInAPackage(entry.getKey()), resideInAPackage(other))
            .ignoreDependency(resideInAPackage(other), resideInAPackage(entry.getKey()));
      }
    }
    return rule;
  }

  /** Package to the packages its package-info justifies ties with. */
  private static Map<String, Set<String>> justifications(Path sources, JavaClasses classes) {
    Map<String, Set<String>> justified = new TreeMap<>();
    for (String name : classes.stream().map(JavaClass::getPackageName).distinct().toList()) {
      Path info = sources.resolve(name.replace('.', '/')).resolve("package-info.java");
      if (!Files.exists(info)) {
        continue;
      }
      Matcher matcher = JUSTIFIED.matcher(read(info).replaceAll("\\s*\\*\\s*", " "));
      while (matcher.find()) {
        Arrays.stream(matcher.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
            .forEach(other -> justified.computeIfAbsent(name, n -> new TreeSet<>()).add(other));
      }
    }
    return justified;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
