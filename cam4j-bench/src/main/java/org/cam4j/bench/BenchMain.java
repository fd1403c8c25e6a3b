package org.cam4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cam4j.image.Preprocessing;
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
          + " gradcam: plain forward, Grad-CAM at the default layer, middle and first block and"
          + " all blocks, saliency and guided backprop, batch 1, thread CPU time with one ONNX"
          + " Runtime thread, each ratio with its multiply-add floor; perturbation: Score-CAM's"
          + " saving from the shared zero mask on --photos, Recipro-CAM over the plain forward;"
          + " memory: peak RSS of plain and explaining processes.")
  private Only only;

  @Option(names = "--photos", paramLabel = "DIR",
      description = "Photos for --only perturbation's Score-CAM count (with --preprocess).")
  private Path photos;

  @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "mean=128;std=128",
      description = "Preprocessing of --photos (default: ${DEFAULT-VALUE}, MobileNetV2's).")
  private String preprocess;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Measured round-robin rounds (default 20, --quick 3).")
  private Integer rounds;

  /** Case subsets {@code --only} accepts. */
  enum Only { GRADCAM, PERTURBATION, MEMORY }

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
        List<String> lines = switch (only) {
          case GRADCAM -> new SpeedCheck(settings).run(model);
          case PERTURBATION -> perturbation(settings, model);
          case MEMORY -> MemoryBench.peakRss(model, settings.rssIterations(),
              settings.rssProcesses()).stream().map(r -> String.format(Locale.ROOT,
                  "%s: peak RSS %-32s %7.1f MiB  %.2fx  %s", model.getFileName(), r.process(),
                  r.peakRssKb().median() / 1024, r.ratio(),
                  r.target() == null ? "" : r.target().label() + " "
                      + r.target().verdict(r.ratio()))).toList();
        };
        lines.forEach(System.out::println);
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

  private List<String> perturbation(Settings settings, Path model) {
    PerturbationCheck check = new PerturbationCheck(settings);
    List<String> lines = new ArrayList<>(check.reciproCam(model));
    if (photos != null) {
      lines.addAll(check.scoreCamSharing(model, photos, Preprocessing.parse(preprocess)));
    }
    return lines;
  }
}
