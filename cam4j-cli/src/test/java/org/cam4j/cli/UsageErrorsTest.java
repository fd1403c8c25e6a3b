package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cam4j.cli.CliProcessIT.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-code contract of the README for option values: a value picocli cannot read (wrong
 * type, missing, unknown option) is a usage error, exit 2; a well-formed value that is wrong is
 * bad input, exit 3. Either way one line, which names the option; and options are checked
 * before any model loads (the model paths here do not exist, so a check made after loading
 * would report the model instead).
 */
class UsageErrorsTest {
  private static final String NO_MODEL = "/no/such/model.onnx";

  @TempDir
  Path tmp;

  private record Case(List<String> args, String mentions) {
  }

  private static Case usage(String mentions, String... args) {
    return new Case(List.of(args), mentions);
  }

  private static void assertOneLine(Outcome r, int code, String mentions, Object what) {
    assertEquals(code, r.code(), what + ": " + r.err());
    assertEquals(1, r.err().lines().count(), what + ": " + r.err());
    assertTrue(r.err().startsWith("cam4j: error: "), what + ": " + r.err());
    assertTrue(r.err().contains(mentions), what + ": " + r.err());
  }

  @Test
  void unreadableValuesUnknownOptionsAndMissingValuesAreExit2InEveryCommand() {
    String photo = "photo.png";
    List<Case> cases = List.of(
        usage("'--alpha': 'abc' is not a double", "explain", "--alpha", "abc", photo),
        usage("'--top': 'x' is not an int", "explain", "--top", "x", photo),
        usage("Unknown option: '--rounds'", "explain", "--rounds", "x", photo),
        usage("'--out' (DIR)", "explain", photo, "--out"),
        usage("'--top': 'x' is not an int", "classify", "--top", "x", photo),
        usage("Unknown option: '--alpha'", "classify", "--alpha", "1", photo),
        usage("'--threads': 'x' is not an int", "layers", "--threads", "x"),
        usage("'--model' (NAME|PATH)", "layers", "--model"),
        usage("'--steps': 'x' is not an int", "metrics", "--steps", "x", photo),
        usage("'--tolerance': 'near' is not a double", "metrics", "--tolerance", "near", photo),
        usage("expected x0,y0,x1,y1, got '1,2'", "metrics", "--box", "1,2", photo),
        usage("expected zero or blur, got 'grey'", "metrics", "--baseline", "grey", photo),
        usage("'--batch': 'x' is not an int", "export", "--model", NO_MODEL, "--out", "m.onnx",
            "--batch", "x"),
        usage("Missing required option: '--out=FILE.onnx'", "export", "--model", NO_MODEL),
        usage("'--port': 'x' is not an int", "serve", "--port", "x"),
        usage("'--max-megapixels': 'many' is not a double", "serve", "--max-megapixels",
            "many"),
        usage("Unknown options: '--rounds', '3'", "serve", "--rounds", "3"),
        usage("missing command", new String[0]),
        usage("Unmatched argument at index 0: 'explian'", "explian"));
    for (Case c : cases) {
      Outcome r = InProcess.cam4j(c.args().toArray(String[]::new));
      assertOneLine(r, 2, c.mentions(), c.args());
      String command = c.args().isEmpty() || c.args().get(0).equals("explian") ? "cam4j"
          : "cam4j " + c.args().get(0);
      assertTrue(r.err().endsWith("(see '" + command + " --help')\n"), r.err());
    }
  }

  @Test
  void aMistypedOptionGetsItsCloseNames() {
    Outcome r = InProcess.cam4j("explain", "--alpah", "0.5", "photo.png");
    assertOneLine(r, 2, "Unknown option: '--alpah'; did you mean --all-layers or --alpha?", "typo");
  }

  @Test
  void formatAndOutAreCheckedBeforeTheModelLoads() throws Exception {
    Path photo = Files.writeString(tmp.resolve("photo.png"), "not read");
    assertOneLine(InProcess.cam4j("explain", "--model", NO_MODEL, "--format", "gif",
        "--out", tmp.resolve("out").toString(), photo.toString()), 3,
        "--format must be png or jpg, got 'gif'", "format");

    Path file = Files.writeString(tmp.resolve("taken"), "a file where a folder is needed");
    assertOneLine(InProcess.cam4j("explain", "--model", NO_MODEL, "--out", file.toString(),
        photo.toString()), 3, "cannot write into " + file + ": " + file
        + " is a file, not a folder", "file as --out");
    assertOneLine(InProcess.cam4j("explain", "--model", NO_MODEL, "--out",
        file.resolve("sub").toString(), photo.toString()), 3, file + " is a file, not a folder",
        "folder below a file");
    assertOneLine(InProcess.cam4j("explain", "--model", NO_MODEL, "--tensor",
        tmp.resolve("in.npy").toString(), "--out", file.toString()), 3,
        file + " is a file, not a folder", "--tensor into a file");
    assertOneLine(InProcess.cam4j("export", "--model", NO_MODEL, "--out", tmp.toString()), 3,
        "cannot write " + tmp + ": it is a folder, not a file", "export into a folder");
    assertOneLine(InProcess.cam4j("export", "--model", NO_MODEL, "--batch", "-2", "--out",
        tmp.resolve("m.onnx").toString()), 3, "batch must be positive, got -2", "export batch");
    assertOneLine(InProcess.cam4j("export", "--model", NO_MODEL, "--method", "scorecam", "--out",
        tmp.resolve("m.onnx").toString()), 3, "scorecam", "export method");
    // the folder itself is not created by a run that fails before writing
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }

  @Test
  void classIndicesOutOfRangeNameTheRangeBeforeTheModelLoads() {
    for (String index : List.of("-1", "99999999999999999999", "2147483648")) {
      assertOneLine(InProcess.cam4j("explain", "--model", NO_MODEL, "--class", index,
          "--out", tmp.toString(), "photo.png"), 3, "class " + index + " is out of range:"
          + " a class index is 0..N-1 for a model of N classes", index);
      assertOneLine(InProcess.cam4j("metrics", "--model", NO_MODEL, "--class", index,
          "photo.png"), 3, "class " + index + " is out of range", index);
    }
  }

  @Test
  void aClassPastTheModelsClassesNamesTheModelsRange() {
    assertOneLine(InProcess.withModel("explain", "--class", "5000", "--out", tmp.toString(),
        CliProcessIT.shared("images/cat.png").toString()), 3,
        "class 5000 is out of range: the model has 1001 classes (0..1000)", "5000");
  }
}
