package org.cam4j.cli;

import java.util.List;
import org.cam4j.Cam4jException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and the exit code, chosen by the error's type:
 * 2 usage error (picocli: an unknown option, a missing value, a value of the wrong type such as
 * {@code --alpha abc}; the line points to the command's --help instead of printing it), 3 a
 * {@link Cam4jException} (bad input, including a well-formed option value that is wrong, such
 * as {@code --alpha 5}; a model that cannot be explained, an unavailable file, folder or
 * download), 1 anything else, which is a bug: its line asks for a rerun with --verbose. Stack
 * traces only with --verbose.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int INTERNAL = 1;
  static final int USAGE = 2;
  static final int INPUT = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose")
        || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
    int code = exitCode(e);
    cli.getErr().println(line(e, code, verbose));
    if (verbose) {
      e.printStackTrace(cli.getErr());
    }
    return code;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    String suggestions = "";
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> close = unmatched.getSuggestions();
      if (!close.isEmpty()) {
        suggestions = "; did you mean " + String.join(" or ", close) + "?";
      }
    }
    cli.getErr().println("cam4j: error: " + e.getMessage() + suggestions + " (see '"
        + cli.getCommandSpec().qualifiedName() + " --help')");
    return USAGE;
  }

  static int exitCode(Throwable e) {
    if (e instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    if (e instanceof Cam4jException) {
      return INPUT;
    }
    return INTERNAL;
  }

  private static String line(Throwable e, int code, boolean verbose) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (code != INTERNAL) {
      return "cam4j: error: " + message;
    }
    return "cam4j: internal error: " + e.getClass().getSimpleName() + ": " + message
        + (verbose ? "" : " (rerun with --verbose for the stack trace)");
  }
}
