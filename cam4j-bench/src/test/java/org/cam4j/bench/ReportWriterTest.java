package org.cam4j.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  private static BenchReport report(double gradCamMillis) {
    Stats plain = Stats.of(new double[] {10, 10, 8});
    Stats plainRss = Stats.of(new double[] {200 * 1024, 190 * 1024, 210 * 1024});
    Stats gradCam = Stats.of(new double[] {gradCamMillis, gradCamMillis, 8.8});
    ModelReport model = new ModelReport("net.onnx",
        new LayerChoice("last", "first", "mid", List.of("first", "mid", "last")),
        List.of(
            new CaseResult("plain forward (baseline)", 1, plain, plain, null, null),
            new CaseResult("Grad-CAM, default layer", 1, gradCam, plain, Target.DEFAULT_LAYER,
                null),
            CaseResult.refused("cam, default layer", 1, "needs a GAP | Gemm head")),
        2.0, List.of(new ModelReport.WarmCheck(1, 3, 3, 30)),
        List.of(new ModelReport.RssResult("plain forward", plainRss, plainRss, null),
            new ModelReport.RssResult("Grad-CAM, default layer",
                Stats.of(new double[] {240 * 1024, 250 * 1024, 300 * 1024}), plainRss,
                Target.PEAK_RSS)));
    SoakReport soak = new SoakReport("net.onnx", 10_000, List.of(
        new SoakReport.Checkpoint(1_000, 20 * 1024, 400 * 1024, 401 * 1024, 1),
        new SoakReport.Checkpoint(10_000, 20 * 1024, 440 * 1024, 441 * 1024, 1)));
    return new BenchReport("2025-01-01", "java -jar cam4j-bench.jar --model net.onnx", true,
        new MachineInfo("Some CPU", 2, "8.0 GiB", "Linux", "OpenJDK 17", "1.26.0"),
        Settings.fullRun(), List.of(model), soak);
  }

  @Test
  void rowsShowMedianSpreadRatioAndVerdict() {
    String md = ReportWriter.render(report(12.5));
    assertTrue(md.contains("| Grad-CAM, default layer | 1 | 12.5 | 10.7–12.5 | 8.80–12.5 | 1.25x"
        + " | 1.10x | <= 1.10x | miss by 13.6 % |"), md);
    assertTrue(md.contains("| plain forward (baseline) | 1 | 10.0 | 9.00–10.0 | 8.00–10.0"
        + " | 1.00x | 1.00x |"), md);
  }

  @Test
  void aRefusedCaseIsReportedWithItsReasonInOneCell() {
    String md = ReportWriter.render(report(10.5));
    assertTrue(md.contains("| cam, default layer | 1 | n/a: needs a GAP \\| Gemm head |"), md);
  }

  @Test
  void summaryCoversRssSessionsAndSoak() {
    String md = ReportWriter.render(report(10.5));
    assertTrue(md.contains("peak RSS: Grad-CAM, default layer vs plain forward process | 1"
        + " | 1.25x | <= 1.50x | pass |"), md);
    assertTrue(md.contains("sessions built by 30 warm calls | 1 | 0 | 0 | pass |"), md);
    assertTrue(md.contains("| Grad-CAM, default layer | 250.0 | 240.0–300.0 | 1.25x | <= 1.50x"
        + " | pass |"), md);
    assertTrue(md.contains("soak: RSS at 10,000 over at 1,000 | 1 | 1.10x | <= 1.05x"
        + " | miss by 4.8 % |"), md);
  }

  @Test
  void rewritingKeepsTheHandWrittenNotes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("BENCHMARKS.md");
    ReportWriter.write(file, report(12.5));
    String notes = "\n\n## Notes\n\nThe miss comes from X.\n";
    Files.writeString(file, Files.readString(file).replace(ReportWriter.NOTES_MARKER
        + "\n\n## Notes\n", ReportWriter.NOTES_MARKER + notes));
    ReportWriter.write(file, report(10.5));
    String md = Files.readString(file);
    assertTrue(md.contains("The miss comes from X."), md);
    assertTrue(md.contains("| 1.05x | 1.10x | <= 1.10x | pass |"), md);
    assertFalse(md.contains("12.5"), md);
  }
}
