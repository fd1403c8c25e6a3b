package org.cam4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON writer of --json output. In a class of its own so that Jackson is loaded only by a
 * command that prints JSON, not by picocli building the commands (it made --help ~0.3 s slower).
 */
final class JsonOutput {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {
  }
}
