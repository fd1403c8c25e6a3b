package org.cam4j.cli;

import picocli.CommandLine;

/** Entry point of the {@code cam4j} command. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    StartupTrace.sinceJvmStart("jvm start -> main");
    int code = run(args);
    StartupTrace.sinceJvmStart("jvm start -> exit");
    System.exit(code);
  }

  static int run(String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // answered before picocli builds every subcommand (that loads Jackson and all methods,
      // ~1 s): scripts call --version to probe an installation
      for (String line : new VersionProvider().getVersion()) {
        System.out.println(line);
      }
      return 0;
    }
    long t0 = StartupTrace.start();
    CommandLine cli = new CommandLine(new Cam4jCommand());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new ErrorReporter());
    cli.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    StartupTrace.end("picocli setup", t0);
    return cli.execute(args);
  }
}
