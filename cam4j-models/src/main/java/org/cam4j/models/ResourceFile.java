package org.cam4j.models;

/**
 * One file of an embedded model: its resource name in this jar, its name once copied out, and
 * the exact size and SHA-256 of its bytes.
 *
 * @param resource absolute resource name, e.g. {@code /org/cam4j/models/mobilenetv2/x.onnx}
 */
record ResourceFile(String resource, String fileName, long bytes, String sha256) {
}
