package org.cam4j.registry;

import java.nio.file.Path;

/**
 * A model packaged inside a jar on the class path, offered by {@link ModelRegistry} under its
 * name with no download; the {@code cam4j-models} artifact provides the default one. Found with
 * {@link java.util.ServiceLoader}: a jar lists its implementation in
 * {@code META-INF/services/org.cam4j.registry.EmbeddedModelProvider}, which needs a public
 * no-argument constructor.
 */
public interface EmbeddedModelProvider {
  /** The registry name, e.g. {@value ModelRegistry#EMBEDDED_DEFAULT}. */
  String name();

  /**
   * The model file with its labels and preprocessing, read from {@code cacheDir}. The files are
   * written there on first use: verified against the SHA-256 the provider records (a corrupted
   * jar fails) and moved into place atomically, so concurrent first uses are safe.
   *
   * @param cacheDir the registry's cache folder, e.g. {@link ModelCache#dir()}
   * @return a model whose {@link ResolvedModel#embeddedName()} is {@link #name()}
   */
  ResolvedModel resolve(Path cacheDir);
}
