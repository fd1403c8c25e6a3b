package org.cam4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.cam4j.engine.CamModel;
import org.cam4j.image.ImageLoader;
import org.cam4j.image.Preprocessing;
import org.cam4j.method.Methods;
import org.cam4j.tensor.FloatTensor;

/**
 * {@code --only perturbation}: how much Score-CAM's shared all-zero mask saves on photos, and
 * Recipro-CAM against the plain forward (thread CPU time, one ONNX Runtime thread).
 */
final class PerturbationCheck {
  /** Score-CAM: exact mode at least this much faster with the shared zero mask than without. */
  static final double SCORECAM_SPEEDUP = 1.15;

  private static final List<String> PHOTO_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp",
      ".gif", ".webp");

  private final Settings settings;

  PerturbationCheck(Settings settings) {
    this.settings = settings;
  }

  /**
   * Score-CAM at the default layer scores one masked input per channel; a channel constant over
   * the map gives the all-zero mask, now scored once for all such channels. The work saved is
   * counted from the layer's activations of each photo: C masked forwards without the sharing,
   * C - Z + 1 with it (Z constant channels, Z >= 1), each the same forward.
   */
  List<String> scoreCamSharing(Path path, Path photos, Preprocessing preprocessing) {
    List<String> lines = new ArrayList<>();
    try (CamModel model = CamModel.load(path, SpeedCheck.OPTIONS);
        Stream<Path> files = Files.list(photos)) {
      String layer = model.layers().defaultLayer().name();
      long[] shape = model.signature().inputShape(1);
      int height = (int) model.signature().height();
      int width = (int) model.signature().width();
      long without = 0;
      long with = 0;
      lines.add(path.getFileName() + ": Score-CAM (exact) at " + layer
          + ", masked forwards per photo without / with the shared zero mask");
      for (Path photo : files.filter(PerturbationCheck::isPhoto).sorted().toList()) {
        FloatTensor input = preprocessing.prepare(ImageLoader.defaults().load(photo),
            model.signature().layout(), width, height).tensor();
        FloatTensor a = model.forward(FloatTensor.wrap(shape, input.toArray()), List.of(layer))
            .tensor(layer);
        int channels = (int) a.dim(1);
        int constant = constantChannels(a);
        long scored = constant == 0 ? channels : channels - constant + 1;
        without += channels;
        with += scored;
        lines.add(String.format(Locale.ROOT, "  %-18s %5d / %5d  (%d constant channels)  %.2fx",
            photo.getFileName(), channels, scored, constant, (double) channels / scored));
      }
      double speedup = (double) without / with;
      lines.add(String.format(Locale.ROOT, "  %-18s %5d / %5d  %.2fx  target >= %.2fx %s",
          "all photos", without, with, speedup, SCORECAM_SPEEDUP,
          speedup >= SCORECAM_SPEEDUP ? "pass" : "miss"));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list photos in " + photos + ": " + e, e);
    }
    return lines;
  }

  /** Recipro-CAM at the default layer over the plain forward, batch 1. */
  List<String> reciproCam(Path path) {
    try (CamModel model = CamModel.load(path, SpeedCheck.OPTIONS)) {
      FloatTensor input = Workloads.randomInput(model, 1, 1);
      Workload plain = Workload.plain(1, Workloads.forward(model, input));
      Workload recipro = Workload.of("reciprocam", 1, SpeedTargets.RECIPROCAM,
          Workloads.explain(model, input, Methods.byName("reciprocam"),
              List.of(model.layers().defaultLayer().name())));
      Map<Workload, RoundRobin.Outcome> out = new RoundRobin(settings.warmupRounds(),
          settings.measuredRounds(), Clock.THREAD_CPU).run(List.of(plain, recipro), () -> { });
      Stats p = Stats.of(out.get(plain).millis());
      Stats r = Stats.of(out.get(recipro).millis());
      double ratio = r.median() / p.median();
      return List.of(String.format(Locale.ROOT, "%s: Recipro-CAM, default layer: %.2f ms vs"
          + " plain forward %.2f ms (thread CPU, %d rounds): %.2fx (min %.2fx)  target < %.0fx %s",
          path.getFileName(), r.median(), p.median(), settings.measuredRounds(), ratio,
          r.min() / p.min(), SpeedTargets.RECIPROCAM.limit(),
          ratio < SpeedTargets.RECIPROCAM.limit() ? "pass" : "miss"));
    }
  }

  private static boolean isPhoto(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return PHOTO_SUFFIXES.stream().anyMatch(name::endsWith);
  }

  /** Channels of an NCHW activation (image 0) whose values are all equal. */
  private static int constantChannels(FloatTensor a) {
    int channels = (int) a.dim(1);
    int area = a.size() / (int) a.dim(0) / channels;
    int count = 0;
    for (int c = 0; c < channels; c++) {
      float first = a.get(c * area);
      boolean constant = true;
      for (int p = 1; p < area && constant; p++) {
        constant = a.get(c * area + p) == first;
      }
      count += constant ? 1 : 0;
    }
    return count;
  }
}
