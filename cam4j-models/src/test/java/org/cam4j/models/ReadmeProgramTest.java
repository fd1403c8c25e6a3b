package org.cam4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The complete program in the README's "Use it from Java" section compiles against the library
 * as users get it (cam4j-core and cam4j-models on the class path) and, run on cat.png, prints the
 * class the model card gives and saves the output set.
 */
class ReadmeProgramTest {
  private static final Path README = Path.of("../README.md");
  private static final Path CAT = Path.of("../../shared/images/cat.png");

  @TempDir
  Path tmp;

  @Test
  void theReadmeProgramCompilesAndExplainsAPhoto() throws Exception {
    String program = program(Files.readString(README));
    Matcher name = Pattern.compile("public class (\\w+)").matcher(program);
    assertTrue(name.find(), "the README program declares a public class");
    Path source = tmp.resolve("src").resolve(name.group(1) + ".java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, program);
    Path classes = Files.createDirectories(tmp.resolve("classes"));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, null, diagnostics, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), source.toString());
    assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

    Path out = tmp.resolve("out");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        getClass().getClassLoader())) {
      Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[] {CAT.toString(), out.toString()});
    } finally {
      System.setOut(stdout);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    // the model card's top-1 for cat.png: 286 Egyptian cat, p 0.818
    assertTrue(text.contains("Egyptian cat"), text);
    try (Stream<Path> files = Files.list(out)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.stream().anyMatch(n -> n.endsWith("_overlay.png")), names.toString());
      assertTrue(names.stream().anyMatch(n -> n.endsWith("_manifest.json")), names.toString());
    }
  }

  /** The first java code block after the heading "Use it from Java". */
  static String program(String readme) {
    int section = readme.indexOf("## Use it from Java");
    assertTrue(section >= 0, "README has a 'Use it from Java' section");
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(section), "the section holds a java code block");
    return block.group(1);
  }
}
