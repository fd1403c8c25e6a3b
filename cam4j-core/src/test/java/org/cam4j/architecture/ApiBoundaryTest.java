package org.cam4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cam4j.Cam4j;
import org.junit.jupiter.api.Test;

/**
 * The public API's boundary on the classpath: a type users can reach (public, outside
 * {@code org.cam4j.internal}) shows no internal, protobuf or ONNX Runtime type in any public or
 * protected signature, so graph surgery, autodiff and ORT plumbing can change without breaking
 * callers.
 */
class ApiBoundaryTest {
  private static final List<String> HIDDEN = List.of("org.cam4j.internal.", "com.google.protobuf.",
      "ai.onnxruntime.");

  @Test
  void publicSignaturesShowNoInternalType() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : apiClasses()) {
      check(c.getName() + " extends", c.getGenericSuperclass(), leaks);
      for (Type i : c.getGenericInterfaces()) {
        check(c.getName() + " implements", i, leaks);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (exposed(m.getModifiers()) && !m.isSynthetic()) {
          checkExecutable(c.getName() + "." + m.getName(), m, leaks);
          check(c.getName() + "." + m.getName() + " returns", m.getGenericReturnType(), leaks);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (exposed(k.getModifiers()) && !k.isSynthetic()) {
          checkExecutable(c.getName() + ".<init>", k, leaks);
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (exposed(f.getModifiers()) && !f.isSynthetic()) {
          check(c.getName() + "." + f.getName(), f.getGenericType(), leaks);
        }
      }
    }
    assertEquals(List.of(), leaks, "public API signatures that expose internals");
  }

  @Test
  void theInternalPackagesHoldTheEnginesPlumbing() throws Exception {
    TreeSet<String> internal = new TreeSet<>();
    for (String name : classNames()) {
      if (name.startsWith("org.cam4j.internal.")) {
        internal.add(name.substring(0, name.lastIndexOf('.')));
      }
    }
    assertTrue(internal.containsAll(List.of("org.cam4j.internal.autodiff",
        "org.cam4j.internal.graph", "org.cam4j.internal.onnx", "org.cam4j.internal.engine")),
        internal.toString());
  }

  /**
   * The command line is a client of the public API: its sources import nothing from
   * {@code org.cam4j.internal} (read from the sibling module's sources; tests run in the module
   * folder).
   */
  @Test
  void theCommandLineUsesOnlyThePublicApi() throws IOException {
    Path sources = Path.of("..", "cam4j-cli", "src", "main", "java");
    assertTrue(Files.isDirectory(sources), sources.toAbsolutePath().toString());
    List<String> internal = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import") && line.contains("org.cam4j.internal.")) {
            internal.add(sources.relativize(f) + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), internal);
  }

  private static void checkExecutable(String where, Executable e, List<String> leaks) {
    for (Type p : e.getGenericParameterTypes()) {
      check(where + " takes", p, leaks);
    }
    for (Type x : e.getGenericExceptionTypes()) {
      check(where + " throws", x, leaks);
    }
  }

  /** Records {@code t} (or any type argument, bound or component of it) when it is hidden. */
  private static void check(String where, Type t, List<String> leaks) {
    if (t == null) {
      return;
    }
    if (t instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String name = c.getName();
      if (HIDDEN.stream().anyMatch(name::startsWith)) {
        leaks.add(where + " " + name);
      }
    } else if (t instanceof ParameterizedType p) {
      check(where, p.getRawType(), leaks);
      for (Type a : p.getActualTypeArguments()) {
        check(where, a, leaks);
      }
    } else if (t instanceof GenericArrayType g) {
      check(where, g.getGenericComponentType(), leaks);
    } else if (t instanceof WildcardType w) {
      Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
          .forEach(b -> check(where, b, leaks));
    } else if (t instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        check(where, b, leaks);
      }
    }
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** Public types outside the internal packages, nested ones only when all enclosers are public. */
  private static List<Class<?>> apiClasses() throws Exception {
    List<Class<?>> out = new ArrayList<>();
    for (String name : classNames()) {
      if (name.startsWith("org.cam4j.internal.")) {
        continue;
      }
      Class<?> c = Class.forName(name, false, ApiBoundaryTest.class.getClassLoader());
      if (reachable(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static boolean reachable(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  /** Every class compiled from cam4j-core's main sources. */
  static List<String> classNames() throws IOException, URISyntaxException {
    Path root = Path.of(Cam4j.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> root.relativize(f).toString())
          .map(s -> s.substring(0, s.length() - ".class".length()).replace('/', '.'))
          .sorted().toList();
    }
  }
}
