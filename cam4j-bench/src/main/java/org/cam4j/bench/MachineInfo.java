package org.cam4j.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the figures were measured. */
record MachineInfo(String cpu, int cores, String memory, String os, String jvm,
    String onnxRuntime) {

  static MachineInfo current() {
    return new MachineInfo(
        procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
        Runtime.getRuntime().availableProcessors(),
        procField("/proc/meminfo", "MemTotal").map(MachineInfo::gib).orElse("unknown"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        OrtEnvironment.getEnvironment().getVersion());
  }

  private static Optional<String> procField(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String gib(String kb) {
    long k = Long.parseLong(kb.replace("kB", "").trim());
    return String.format(java.util.Locale.ROOT, "%.1f GiB", k / 1024.0 / 1024.0);
  }
}
