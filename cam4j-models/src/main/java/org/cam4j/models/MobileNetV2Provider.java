package org.cam4j.models;

import java.nio.file.Path;
import org.cam4j.image.Preprocessing;
import org.cam4j.registry.EmbeddedModelProvider;
import org.cam4j.registry.ResolvedModel;

/**
 * Offers {@value EmbeddedModel#NAME} to cam4j-core's registry (listed in
 * {@code META-INF/services/org.cam4j.registry.EmbeddedModelProvider}). Its files are copied to
 * {@code <cache>/embedded/mobilenetv2-embedded-<first 12 hex digits of the model's sha256>/}, so
 * a jar with another model version never meets an older copy.
 */
public final class MobileNetV2Provider implements EmbeddedModelProvider {
  /** Called by {@link java.util.ServiceLoader}; use {@link EmbeddedModel} directly. */
  public MobileNetV2Provider() {
  }

  @Override
  public String name() {
    return EmbeddedModel.NAME;
  }

  @Override
  public ResolvedModel resolve(Path cacheDir) {
    Path dir = cacheDir.resolve("embedded")
        .resolve(EmbeddedModel.NAME + "-" + EmbeddedModel.MODEL.sha256().substring(0, 12));
    VerifiedCopy.ensure(EmbeddedModel.PREPROCESSING, dir);
    Path labels = VerifiedCopy.ensure(EmbeddedModel.LABELS, dir);
    Path model = VerifiedCopy.ensure(EmbeddedModel.MODEL, dir);
    Preprocessing preprocessing = Preprocessing.sidecarOf(model).orElseThrow(() ->
        new IllegalStateException("no preprocessing sidecar beside " + model));
    return ResolvedModel.embedded(EmbeddedModel.NAME, model, labels, preprocessing);
  }
}
