package dev.flagroute.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The flagroute-bom the README names lists every published module, at the project's version. */
class BomTest {
  private static final Path ROOT = Path.of("../..");
  private static final List<String> NOT_PUBLISHED = List.of("bom", "examples");

  @Test
  void theBomManagesEveryPublishedModuleAtTheProjectVersion() throws Exception {
    Element parent = read(ROOT.resolve("pom.xml"));
    Element bom = read(ROOT.resolve("bom/pom.xml"));
    List<String> published = new ArrayList<>();
    for (Element module : children(child(parent, "modules"), "module")) {
      if (!NOT_PUBLISHED.contains(module.getTextContent())) {
        published.add(text(read(ROOT.resolve(module.getTextContent()).resolve("pom.xml")), "artifactId"));
      }
    }

    Map<String, String> managed = new LinkedHashMap<>();
    for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      assertThat(text(dependency, "groupId")).isEqualTo("dev.flagroute");
      managed.put(text(dependency, "artifactId"), text(dependency, "version"));
    }

    assertThat(managed.keySet()).containsExactlyInAnyOrderElementsOf(published);
    assertThat(managed.values()).containsOnly("${project.version}");
    assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
    assertThat(child(bom, "parent")).as("the BOM has no parent, so importing it imports nothing else").isNull();
  }

  @Test
  void theBomPinsItsPluginsAtTheParentsVersions() throws Exception {
    Map<String, String> parentPlugins = plugins(read(ROOT.resolve("pom.xml")));
    Map<String, String> bomPlugins = plugins(read(ROOT.resolve("bom/pom.xml")));

    assertThat(bomPlugins).isNotEmpty();
    bomPlugins.forEach((plugin, version) -> assertThat(version).as(plugin).isEqualTo(parentPlugins.get(plugin)));
  }

  @Test
  void theBomCarriesTheParentsPublishingMetadata() throws Exception {
    Element parent = read(ROOT.resolve("pom.xml"));
    Element bom = read(ROOT.resolve("bom/pom.xml"));

    // Maven Central rejects a pom without them, and the BOM inherits nothing
    for (String section : List.of("url", "licenses", "developers", "scm", "issueManagement")) {
      assertThat(child(parent, section)).as("<%s> in the parent", section).isNotNull();
      assertThat(child(bom, section)).as("<%s> in the BOM", section).isNotNull();
      assertThat(normalized(child(bom, section))).as(section).isEqualTo(normalized(child(parent, section)));
    }
  }

  /** The element's text with runs of white space made one space. */
  private static String normalized(Element element) {
    return element.getTextContent().strip().replaceAll("\\s+", " ");
  }

  private static Map<String, String> plugins(Element project) {
    Map<String, String> versions = new LinkedHashMap<>();
    Element plugins = child(child(child(project, "build"), "pluginManagement"), "plugins");
    for (Element plugin : children(plugins, "plugin")) {
      versions.put(text(plugin, "artifactId"), text(plugin, "version"));
    }
    return versions;
  }

  private static Element read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
  }

  private static String text(Element element, String name) {
    Element child = child(element, name);
    assertThat(child).as("<%s> in <%s>", name, element.getTagName()).isNotNull();
    return child.getTextContent().strip();
  }

  /** The first child element named {@code name}, or null. */
  private static Element child(Element element, String name) {
    List<Element> children = children(element, name);
    return children.isEmpty() ? null : children.get(0);
  }

  private static List<Element> children(Element element, String name) {
    List<Element> children = new ArrayList<>();
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && child.getTagName().equals(name)) {
        children.add(child);
      }
    }
    return children;
  }
}
