package dev.flagroute.example.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.jdkhttp.FlagHttpRequests;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.micrometer.MicrometerRoutingListener;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.servlet.FlagRoutingFilter;
import java.lang.module.ModuleDescriptor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** flagroute's modules on the module path: they resolve, work, and export their API only. */
class ModulePathTest {
  @Test
  void runsOnTheModulePath() {
    assertThat(ModulePathApp.class.getModule().getName()).isEqualTo("dev.flagroute.example.modulepath");
    assertThat(FlagRouter.class.getModule().getName()).isEqualTo("dev.flagroute.core");

    ModulePathApp.Run run = ModulePathApp.run();

    assertThat(run.variant()).isEqualTo("v2");
    assertThat(run.stamped()).isEqualTo(Map.of("x-flag-checkout", "v2"));
    assertThat(run.httpRequestFlag()).isEqualTo("v2");
    assertThat(run.countedDecisions()).isEqualTo(1);
    assertThat(run.meshSubset()).isEqualTo("v2");
  }

  @Test
  void onlyTheApiPackagesAreExported() {
    Module app = ModulePathApp.class.getModule();
    Module core = FlagRouter.class.getModule();
    Module mesh = MeshGenerator.class.getModule();

    assertThat(core.isExported("dev.flagroute.router", app)).isTrue();
    assertThat(core.isExported("dev.flagroute.internal", app)).as("core's plumbing").isFalse();
    assertThat(core.isExported("dev.flagroute.internal", mesh)).as("shared with flagroute's modules").isTrue();
    assertThat(mesh.isExported("dev.flagroute.mesh", app)).isTrue();
    assertThat(mesh.getPackages()).contains("dev.flagroute.mesh.internal.rules", "dev.flagroute.mesh.internal.istio");
    for (String pkg : mesh.getPackages()) {
      assertThat(pkg).as("mesh's API package or its internals").matches("dev\\.flagroute\\.mesh(\\.internal\\..+)?");
      assertThat(mesh.isExported(pkg)).as(pkg).isEqualTo(pkg.equals("dev.flagroute.mesh"));
    }
    assertThat(FlagRoutingFilter.class.getModule().getDescriptor().exports())
        .extracting(ModuleDescriptor.Exports::source).containsExactly("dev.flagroute.servlet");
  }

  @Test
  void theStampingAndMetricsModulesExportOnePackageEach() {
    Map<Class<?>, String> modules = Map.of(FlagHttpRequests.class, "dev.flagroute.jdkhttp",
        FlagStampingInterceptor.class, "dev.flagroute.okhttp", MicrometerRoutingListener.class, "dev.flagroute.micrometer");
    modules.forEach((type, name) -> {
      assertThat(type.getModule().getName()).isEqualTo(name);
      assertThat(type.getModule().getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
          .containsExactly(name);
    });
    assertThat(FlagRouter.class.getModule().getDescriptor().requires())
        .extracting(ModuleDescriptor.Requires::name).doesNotContain("java.net.http", "okhttp3")
        .noneMatch(name -> name.startsWith("org.junit"));
  }
}
