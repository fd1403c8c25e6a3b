package org.cam4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;

/**
 * Expands IMAGE|DIR arguments: files as given, folders to their images sorted by path (with
 * subfolders when recursive).
 */
final class ImageArguments {
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp");

  private ImageArguments() {
  }

  static List<Path> expand(List<Path> arguments) {
    return expand(arguments, false);
  }

  /** The photos named or found in the folders named; subfolders too when {@code recursive}. */
  static List<Path> expand(List<Path> arguments, boolean recursive) {
    List<Path> images = new ArrayList<>();
    for (Path a : arguments) {
      if (Files.isDirectory(a)) {
        List<Path> found = imagesIn(a, recursive);
        if (found.isEmpty()) {
          throw new InvalidInputException("no images ("
              + String.join(", ", EXTENSIONS.stream().sorted()
              .toList()) + ") in folder " + a + (recursive ? " or its subfolders" : ""));
        }
        images.addAll(found);
      } else if (Files.exists(a)) {
        images.add(a);
      } else {
        throw new InvalidInputException("image not found: " + a);
      }
    }
    return images;
  }

  private static List<Path> imagesIn(Path dir, boolean recursive) {
    try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
      return files.filter(Files::isRegularFile).filter(ImageArguments::hasImageExtension)
          .sorted().toList();
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot list folder " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static boolean hasImageExtension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
