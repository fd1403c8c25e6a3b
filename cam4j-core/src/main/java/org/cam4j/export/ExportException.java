package org.cam4j.export;

import java.util.Objects;
import org.cam4j.InvalidInputException;

/**
 * An export asked for what cannot be exported: a method without a closed form in ONNX operators,
 * a batch size the model does not take, or a file that is already an export ({@link #reason}
 * says which; the message says why and what to do instead).
 */
public class ExportException extends InvalidInputException {
  /** Why an export was refused. */
  public enum Reason {
    /** The method's map is no closed form of one forward and backward pass at the layer. */
    METHOD,
    /** The batch size is not positive or not the model's fixed batch. */
    BATCH,
    /** The model is already a cam4j export. */
    ALREADY_EXPORTED
  }

  private final Reason reason;

  /**
   * An export refused for the reason given.
   *
   * @param reason the kind of refusal
   * @param message why, and what to ask for instead
   */
  public ExportException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The kind of refusal. */
  public Reason reason() {
    return reason;
  }
}
