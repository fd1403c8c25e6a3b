package org.cam4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --help} and {@code --version} load no heavy library: not ONNX Runtime (its native
 * library), not protobuf (the ONNX model classes), not Jackson's ObjectMapper (a few of its node
 * types are loaded, not initialised, when picocli reflects over the commands' methods), not the
 * web server. Checked in a fresh JVM on this test's class path, with the JVM's class-loading log
 * (nothing here measures time).
 */
class StartupClassLoadingTest {
  private static final List<String> HEAVY = List.of("ai.onnxruntime.", "com.google.protobuf.",
      "org.cam4j.internal.onnx.", "com.fasterxml.jackson.databind.ObjectMapper",
      "com.fasterxml.jackson.databind.ser.", "io.javalin.", "org.eclipse.jetty.");

  /** The classes a fresh {@code cam4j ARGS} loads, with its exit code. */
  private record Loaded(int exitCode, String stdout, List<String> classes) {
  }

  private static Loaded run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info:stderr", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    // stderr is read on its own thread so that neither pipe can fill up and block the child
    StringBuilder err = new StringBuilder();
    Thread drain = new Thread(() -> {
      try {
        err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    drain.join();
    List<String> classes = err.toString().lines().filter(l -> l.contains("[class,load]"))
        .map(l -> l.replaceAll(".*\\[class,load\\] (\\S+).*", "$1")).toList();
    return new Loaded(code, out, classes);
  }

  private static List<String> heavy(List<String> classes) {
    return classes.stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).toList();
  }

  @Test
  void helpLoadsNoHeavyLibrary() throws Exception {
    Loaded help = run("--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.stdout().contains("explain"), help.stdout());
    assertTrue(help.classes().contains(Cam4jCommand.class.getName()),
        "the class-loading log was read: " + help.classes().size() + " classes");
    assertEquals(List.of(), heavy(help.classes()));
  }

  @Test
  void versionLoadsNeitherPicocliNorAHeavyLibrary() throws Exception {
    Loaded version = run("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.stdout().startsWith("cam4j "), version.stdout());
    assertTrue(version.classes().contains(Main.class.getName()),
        "the class-loading log was read: " + version.classes().size() + " classes");
    assertEquals(List.of(), heavy(version.classes()));
    // the verifier loads the picocli interfaces Main's classes implement; not picocli itself
    assertEquals(List.of(), version.classes().stream()
        .filter(c -> c.equals("picocli.CommandLine") || c.startsWith("picocli.CommandLine$Model"))
        .toList());
  }
}
