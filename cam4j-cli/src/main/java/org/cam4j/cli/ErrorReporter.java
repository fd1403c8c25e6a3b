package org.cam4j.cli;

import org.cam4j.Cam4jException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and the exit code: 2 usage error, 3 bad input
 * (image, model, layer, class), 1 internal error. Stack traces only with --verbose.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int INTERNAL = 1;
  static final int USAGE = 2;
  static final int INPUT = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose")
        || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    cli.getErr().println("cam4j: error: " + message);
    if (verbose) {
      e.printStackTrace(cli.getErr());
    }
    return exitCode(e);
  }

  static int exitCode(Throwable e) {
    if (e instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    if (e instanceof Cam4jException || e instanceof IllegalArgumentException) {
      return INPUT;
    }
    return INTERNAL;
  }
}
