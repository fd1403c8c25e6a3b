package org.cam4j.graph;

/**
 * The tensor cam4j explains: the pre-softmax class scores. When an output is a Softmax result,
 * the Softmax input is used instead (gradients of probabilities saturate).
 *
 * @param name tensor differentiated
 * @param description how it was chosen, for reports and manifests
 */
public record ScoreTensor(String name, String description) {
}
