package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import org.cam4j.UnsupportedModelException;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.graph.UnknownLayerException;
import org.cam4j.image.ImageLoadException;
import org.cam4j.internal.autodiff.UnsupportedOperatorException;
import org.cam4j.registry.ModelUnavailableException;
import org.cam4j.render.ImageWriteException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Each kind of error gives its exit code by type alone, through the real handler: a command
 * that throws the given error is run as the CLI runs commands.
 */
class ErrorReporterTest {
  private record Case(Exception error, int exitCode) {
  }

  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    private final Exception error;

    @Option(names = "--verbose")
    boolean verbose;

    Failing(Exception error) {
      this.error = error;
    }

    @Override
    public Integer call() throws Exception {
      throw error;
    }
  }

  private record Run(int code, String err) {
  }

  private static Run run(Exception error, String... args) {
    CommandLine cli = new CommandLine(new Failing(error));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    return new Run(cli.execute(args), err.toString());
  }

  @Test
  void eachKindGivesItsExitCodeByType() {
    // messages that the old rules would have misread: any IllegalArgumentException was exit 3
    List<Case> table = List.of(
        new Case(new InvalidInputException("--top must be >= 1, got 0"), 3),
        new Case(new UnknownLayerException("conv9", List.of("conv1")), 3),
        new Case(new ImageLoadException("image not found: x.png"), 3),
        new Case(new ModelLoadException("no such model file: m.onnx"), 3),
        new Case(new UnsupportedModelException("layer 'x' is not followed by a pool"), 3),
        new Case(new UnsupportedOperatorException("Foo", "n", "", List.of("Relu")), 3),
        new Case(new ResourceUnavailableException("cannot write out/: disk full"), 3),
        new Case(new ModelUnavailableException("resnet50", "cannot download", null), 3),
        new Case(new ImageWriteException("folder out is not writable"), 3),
        new Case(new IllegalArgumentException("class index must be >= 0, got -1"), 1),
        new Case(new IllegalStateException("no static shape known for tensor 't'"), 1),
        new Case(new NullPointerException(), 1),
        new Case(new IOException("stream closed"), 1));
    for (Case c : table) {
      Run r = run(c.error());
      String what = c.error().getClass().getSimpleName();
      assertEquals(c.exitCode(), r.code(), what + ": " + r.err());
      assertEquals(c.exitCode(), ErrorReporter.exitCode(c.error()), what);
      assertEquals(1, r.err().lines().count(), what + ": one line without --verbose: " + r.err());
    }
  }

  @Test
  void usageErrorsAreExit2() {
    Run r = run(new IllegalStateException("never reached"), "--no-such-option");
    assertEquals(2, r.code(), r.err());
  }

  @Test
  void inputErrorsShowTheirMessageAndInternalErrorsAskForVerbose() {
    assertEquals("cam4j: error: --top must be >= 1, got 0\n",
        run(new InvalidInputException("--top must be >= 1, got 0")).err());
    assertEquals("cam4j: internal error: IllegalStateException: no static shape known for"
        + " tensor 't' (rerun with --verbose for the stack trace)\n",
        run(new IllegalStateException("no static shape known for tensor 't'")).err());
    Run verbose = run(new IllegalStateException("no static shape"), "--verbose");
    assertEquals(1, verbose.code());
    assertTrue(verbose.err().startsWith("cam4j: internal error: IllegalStateException: no static"
        + " shape\njava.lang.IllegalStateException: no static shape"), verbose.err());
    assertFalse(verbose.err().contains("rerun with --verbose"), verbose.err());
  }
}
