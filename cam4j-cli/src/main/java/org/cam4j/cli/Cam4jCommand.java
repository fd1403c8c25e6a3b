package org.cam4j.cli;

import picocli.CommandLine.Command;

/** Top-level command; the work is in the subcommands. */
@Command(name = "cam4j", mixinStandardHelpOptions = true, version = "cam4j 0.1.0",
    description = "Class activation maps for any ONNX image classifier.",
    subcommands = {ClassifyCommand.class, ExplainCommand.class, ExportCommand.class,
        LayersCommand.class, MetricsCommand.class, ServeCommand.class})
final class Cam4jCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing command: use one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
