package org.cam4j.spark;

import java.io.Serializable;

/**
 * What makes two loaded explainers interchangeable: the model's and the labels' content
 * (SHA-256, "" without labels), the preprocessing and the ONNX Runtime thread count.
 */
record ExplainerKey(String modelSha256, String labelsSha256, String preprocessing, int threads)
    implements Serializable {
}
