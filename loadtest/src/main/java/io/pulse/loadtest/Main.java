package io.pulse.loadtest;

import io.pulse.loadtest.cli.LoadCommand;

/** Command-line entry point of {@code pulse-loadtest.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(LoadCommand.commandLine().execute(args));
  }
}
