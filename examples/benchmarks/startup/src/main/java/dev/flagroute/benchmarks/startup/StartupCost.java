package dev.flagroute.benchmarks.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Measures what flagroute's starter adds to the start of {@link StartupApp}: starts it in fresh JVMs,
 * in turn with its whole class path, without the jars only the starter brings (flagroute's,
 * Caffeine, snakeyaml-engine, context-propagation) and, when given, with another build of the
 * starter, and compares the CPU time each JVM used until the application was ready. Prints each side's mean and standard deviation, the difference of the
 * means with a 95% interval, and the main thread's CPU time in creating flagroute's beans (measured
 * inside the JVM, so far less noisy).
 *
 * <p>Usage: {@code java [-Dstartup.jvm-options="..."] -cp <this module's class path>
 * dev.flagroute.benchmarks.startup.StartupCost [rounds [other starter's jars]]}; the options are given
 * to every JVM it starts.
 */
public final class StartupCost {
  /** Jars of the starter and of what it alone brings, by file-name prefix. */
  private static final List<String> STARTER_ONLY = List.of("flagroute-", "caffeine-", "error_prone_annotations-",
      "snakeyaml-engine-", "context-propagation-");
  private static final Pattern LINE = Pattern.compile(
      "startup cpu-ms=(\\d+) main-ms=(\\d+) wall-ms=(\\d+) classes=(\\d+) flagroute-beans-ms=(\\d+)");

  private StartupCost() {}

  /**
   * Runs the comparison. Arguments: the number of rounds, and optionally the jars of another build
   * of the starter (flagroute's jars and what else it needs, path-separated): they replace the jars
   * of the same names, the rest are added, and that build is measured in the same rounds too.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    if (rounds < 2) {
      throw new IllegalArgumentException("a spread needs at least 2 rounds, was " + rounds);
    }
    List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> without = all.stream().filter(entry -> !starterOnly(entry)).toList();
    System.out.println("without the starter, the class path lacks: " + all.stream().filter(StartupCost::starterOnly)
        .map(entry -> new File(entry).getName()).collect(Collectors.joining(", ")));
    List<String> labels = new ArrayList<>(List.of("without the starter", "with the starter"));
    List<List<String>> classPaths = new ArrayList<>(List.of(without, all));
    if (args.length > 1 && !args[1].isBlank()) {
      labels.add("with the other build");
      classPaths.add(replaced(all, Arrays.asList(args[1].split(File.pathSeparator))));
    }
    List<List<long[]>> runs = new ArrayList<>();
    for (List<String> classPath : classPaths) {
      start(classPath); // warms the file cache; not counted
      runs.add(new ArrayList<>());
    }
    for (int round = 0; round < rounds; round++) {
      // rotate which side goes first, so that drift in the machine's load hits every side alike
      for (int i = 0; i < classPaths.size(); i++) {
        int side = (round + i) % classPaths.size();
        runs.get(side).add(start(classPaths.get(side)));
      }
    }
    for (int side = 0; side < classPaths.size(); side++) {
      report(labels.get(side), runs.get(side));
    }
    for (int side = 1; side < classPaths.size(); side++) {
      System.out.println(labels.get(side) + ", against " + labels.get(0) + ":");
      difference("CPU time of the JVM", runs.get(side), runs.get(0), 0);
      difference("CPU time of the main thread", runs.get(side), runs.get(0), 1);
      difference("wall time", runs.get(side), runs.get(0), 2);
      difference("classes loaded", runs.get(side), runs.get(0), 3);
      System.out.printf(Locale.ROOT, "  main thread's CPU time in creating flagroute's beans: %.0f ms (sd %.0f)%n",
          mean(runs.get(side), 4), sd(runs.get(side), 4));
    }
  }

  /** {@code classPath} with the jars of {@code other} in place of those of the same names, and the rest of them added. */
  private static List<String> replaced(List<String> classPath, List<String> other) {
    List<String> result = new ArrayList<>();
    for (String entry : classPath) {
      result.add(other.stream().filter(jar -> new File(jar).getName().equals(new File(entry).getName())).findFirst()
          .orElse(entry));
    }
    other.stream().filter(jar -> !result.contains(jar)).forEach(result::add);
    return result;
  }

  private static boolean starterOnly(String entry) {
    String name = new File(entry).getName();
    return STARTER_ONLY.stream().anyMatch(name::startsWith);
  }

  /** One start in a fresh JVM: JVM CPU ms, main-thread CPU ms, wall ms and classes loaded when the app was ready. */
  private static long[] start(List<String> classPath) throws IOException, InterruptedException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>(List.of(java));
    String options = System.getProperty("startup.jvm-options", "").strip();
    if (!options.isEmpty()) {
      command.addAll(Arrays.asList(options.split("\\s+")));
    }
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), StartupApp.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    long[] measured = null;
    List<String> output = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        Matcher matcher = LINE.matcher(line);
        if (matcher.find()) {
          measured = new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
              Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5))};
        }
      }
    }
    process.waitFor();
    if (measured == null) {
      throw new IllegalStateException("the app did not report its start:\n" + String.join("\n", output));
    }
    return measured;
  }

  private static void report(String label, List<long[]> runs) {
    System.out.printf(Locale.ROOT, "%-21s: CPU %6.0f ms (sd %4.0f), main thread %5.0f ms (sd %3.0f), wall %6.0f ms"
        + " (sd %4.0f), %5.0f classes; CPU runs %s%n", label, mean(runs, 0), sd(runs, 0), mean(runs, 1), sd(runs, 1),
        mean(runs, 2), sd(runs, 2), mean(runs, 3),
        runs.stream().map(run -> Long.toString(run[0])).collect(Collectors.joining(" ")));
  }

  /** The difference of the means with a 95% interval (Welch, normal approximation). */
  private static void difference(String label, List<long[]> with, List<long[]> without, int column) {
    double difference = mean(with, column) - mean(without, column);
    double error = Math.sqrt(square(sd(with, column)) / with.size() + square(sd(without, column)) / without.size());
    System.out.printf(Locale.ROOT, "  difference in %s: %+.0f +/- %.0f (95%% interval %.0f to %.0f)%n", label, difference,
        1.96 * error, difference - 1.96 * error, difference + 1.96 * error);
  }

  private static double mean(List<long[]> runs, int column) {
    return runs.stream().mapToLong(run -> run[column]).average().orElse(Double.NaN);
  }

  private static double sd(List<long[]> runs, int column) {
    double mean = mean(runs, column);
    return Math.sqrt(runs.stream().mapToDouble(run -> square(run[column] - mean)).sum() / (runs.size() - 1));
  }

  private static double square(double value) {
    return value * value;
  }
}
