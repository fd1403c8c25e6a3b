package org.cam4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Entry point: benchmarks the given models and writes the Markdown report. */
@Command(name = "cam4j-bench", mixinStandardHelpOptions = true,
    description = "Times class activation maps against the plain forward pass of the same model"
        + " and writes BENCHMARKS.md.")
public final class BenchMain implements Callable<Integer> {
  private static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "ONNX classifier to benchmark (repeatable); the first one is soaked.")
  private List<Path> models;

  @Option(names = "--quick", description = "Smoke run: few samples, 200-explanation soak.")
  private boolean quick;

  @Option(names = "--soak", paramLabel = "N",
      description = "Explanations in the memory soak (default 10000; 0 skips it).")
  private Integer soak;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "BENCHMARKS.md",
      description = "Report to write (default: ${DEFAULT-VALUE}); its notes section is kept.")
  private Path out;

  @Option(names = "--only", paramLabel = "CASES",
      description = "Run only these cases and print their table instead of writing the report;"
          + " gradcam: plain forward and Grad-CAM at the default layer, middle and first block"
          + " and all blocks, batch 1.")
  private Only only;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Measured round-robin rounds (default 20, --quick 3).")
  private Integer rounds;

  /** Case subsets {@code --only} accepts. */
  enum Only { GRADCAM }

  private final List<String> args;

  private BenchMain(List<String> args) {
    this.args = args;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain(List.of(args)))
        .setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() {
    List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
    boolean preTouched = jvmFlags.contains(PRE_TOUCH);
    if (!preTouched) {
      System.err.println("cam4j-bench: warning: without " + PRE_TOUCH + " (and -Xms = -Xmx) the"
          + " page faults of a growing heap are timed too, and they hit the cases that allocate"
          + " most; run java -Xms1g -Xmx1g " + PRE_TOUCH + " -jar ...");
    }
    Settings settings = quick ? Settings.quickRun() : Settings.fullRun();
    if (soak != null) {
      settings = settings.withSoak(soak);
    }
    if (rounds != null) {
      if (rounds < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--rounds must be >= 1");
      }
      settings = settings.withMeasuredRounds(rounds);
    }
    ModelBench bench = new ModelBench(settings);
    if (only != null) {
      for (Path model : models) {
        System.out.println(model.getFileName() + ", " + settings.measuredRounds() + " rounds:");
        bench.gradCamOnly(model).forEach(row -> System.out.println(ratioLine(row)));
      }
      return 0;
    }
    List<ModelReport> reports = new ArrayList<>();
    for (Path model : models) {
      System.err.println("cam4j-bench: " + model);
      reports.add(bench.run(model));
    }
    SoakReport soakReport = null;
    if (settings.soakExplanations() > 0) {
      System.err.println("cam4j-bench: soak, " + settings.soakExplanations() + " explanations");
      soakReport = MemoryBench.soak(models.get(0), settings.soakExplanations());
    }
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", "cam4j-bench/target/cam4j-bench.jar"));
    command.addAll(args);
    BenchReport report = new BenchReport(LocalDate.now().toString(), String.join(" ", command),
        preTouched, MachineInfo.current(), settings, reports, soakReport);
    ReportWriter.write(out, report);
    System.err.println("cam4j-bench: wrote " + out);
    return 0;
  }

  /** Median ms per image, median ratio and fastest-run ratio to the plain forward. */
  private static String ratioLine(CaseResult row) {
    if (row.wasRefused()) {
      return String.format(Locale.ROOT, "  %-50s refused: %s", row.name(), row.refusal());
    }
    return String.format(Locale.ROOT, "  %-50s %8.2f ms  %5.2fx  (min %5.2fx)%s", row.name(),
        row.perImage().median(), row.ratio(), row.minRatio(),
        row.target() == null ? "" : "  target " + row.target().label());
  }
}
