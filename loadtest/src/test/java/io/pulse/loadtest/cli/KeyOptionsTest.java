package io.pulse.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key options are checked before any request leaves. */
class KeyOptionsTest {

  @TempDir Path temp;

  @Test
  void oneKeyOptionAtATime() {
    StringWriter err = new StringWriter();
    int exit = run(err, "--key=pulse_one_000000000000000000", "--keys=a,b");

    assertEquals(2, exit);
    assertTrue(
        err.toString().contains("give one of --key, --keys and --key-file, not [--key, --keys]"),
        err.toString());
  }

  @Test
  void anUnreadableKeyFileIsAUsageError() {
    StringWriter err = new StringWriter();
    Path missing = temp.resolve("missing.keys");
    int exit = run(err, "--key-file=" + missing);

    assertEquals(2, exit);
    assertTrue(err.toString().contains("cannot read --key-file " + missing), err.toString());
  }

  @Test
  void aMalformedKeyIsRefusedWithoutEchoingIt() {
    StringWriter err = new StringWriter();
    int exit = run(err, "--keys=pulse_good_0000000000000000, pulse_bad secret");

    assertEquals(2, exit);
    assertTrue(
        err.toString()
            .contains("--keys: key 2 of 2 holds a space, a control or a non-ASCII character"),
        err.toString());
    assertFalse(err.toString().contains("bad secret"));
  }

  @Test
  void theHelpNeverShowsTheKeyFromTheEnvironment() {
    StringWriter out = new StringWriter();
    LoadCommand.commandLine().setOut(new PrintWriter(out, true)).execute("--help");

    List<String> lines = out.toString().lines().toList();
    int key =
        lines.indexOf(
            lines.stream().filter(l -> l.startsWith("      --key=KEY")).findFirst().orElseThrow());
    int next = key + 1;
    while (next < lines.size() && !lines.get(next).startsWith("      --")) {
      next++;
    }
    String keyHelp = String.join("\n", lines.subList(key, next));
    assertTrue(keyHelp.contains("PULSE_KEY"), keyHelp);
    assertFalse(keyHelp.contains("Default:"), "its default is a secret: " + keyHelp);
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("Default: http://127.0.0.1:8080")),
        "other options do show their defaults");
  }

  private static int run(StringWriter err, String... args) {
    String[] withUrl = new String[args.length + 1];
    // Nothing listens there: a usage error must come before any connection is tried.
    withUrl[0] = "--url=http://127.0.0.1:9";
    System.arraycopy(args, 0, withUrl, 1, args.length);
    return LoadCommand.commandLine().setErr(new PrintWriter(err, true)).execute(withUrl);
  }
}
