package org.cam4j.cli;

import picocli.CommandLine;

/** Entry point of the {@code cam4j} command. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new Cam4jCommand());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    return cli.execute(args);
  }
}
