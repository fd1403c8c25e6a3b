package org.cam4j.internal.io;

/** A process that has run and ended, for staging folders whose owner is gone. */
public final class EndedProcess {
  private EndedProcess() {
  }

  /** The staging-folder name prefix of a process that has ended (asked while it ran). */
  public static String stagingOwner() throws Exception {
    Process cat = new ProcessBuilder("cat").start(); // runs until its input ends
    String owner = StagingFolders.owner(cat.toHandle());
    cat.getOutputStream().close();
    if (cat.waitFor() != 0) {
      throw new IllegalStateException("cat failed");
    }
    return owner;
  }
}
