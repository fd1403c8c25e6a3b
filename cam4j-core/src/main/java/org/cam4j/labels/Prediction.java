package org.cam4j.labels;

/**
 * One entry of a top-k list: output index, WordNet id (null when the labels have none), short
 * label name, softmax probability and the logit it came from.
 */
public record Prediction(int index, String wnid, String label, float probability, float logit) {
}
