package org.cam4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.cam4j.cli.CliProcessIT.Outcome;
import picocli.CommandLine;

/** Runs cam4j in this JVM, as Main does, with the shared MobileNetV2 and its labels. */
final class InProcess {
  static final String MODEL = CliProcessIT.shared("models/mobilenet_v2_1.0_224_dequant.onnx")
      .toString();
  static final String LABELS = CliProcessIT.shared("labels/imagenet_labels_1001.txt").toString();

  private InProcess() {
  }

  /** {@code cam4j COMMAND --model ... --labels ... --preprocess inception ARGS}. */
  static Outcome withModel(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--model", MODEL, "--labels", LABELS,
        "--preprocess", "inception", "--threads", "1"));
    all.addAll(List.of(args));
    return cam4j(all.toArray(String[]::new));
  }

  static Outcome cam4j(String... args) {
    CommandLine cli = new CommandLine(new Cam4jCommand());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new ErrorReporter());
    cli.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }
}
