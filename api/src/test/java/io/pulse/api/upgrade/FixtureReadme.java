package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The README written next to a fixture: what it is, how it was made, what it contains. */
final class FixtureReadme {

  private FixtureReadme() {}

  static String text(
      Map<String, Object> description,
      ReleaseFixtureWriter.Coverage coverage,
      List<String> timeline) {
    StringBuilder text = new StringBuilder();
    String release = (String) description.get("release");
    text.append("# Upgrade fixture of release ").append(release).append("\n\n");
    text.append(
        """
        A database written by release %s, and what that release's API answered about it. Every
        later release must read it the same way: `H2UpgradeFixtureTest` and
        `PostgresUpgradeFixtureTest` (`io.pulse.api.upgrade`) load these rows into a fresh
        database, start a node with its clock at `%s`, and compare every answer with
        `expected/`; then they send new events on top and restart.

        Generated, do not edit by hand. Made from commit `%s` (working tree clean: %s) by
        `%s`, on %s.

        ## Files

        - `fixture.json`: the clock instant of the answers (`clock`), the commit, the schema
          version the release's migrations reached (`schemaVersion`; absent in fixtures of
          releases before migrations, which had version 1's tables), the generating node's
          settings (snapshot intervals: `pulse.user.snapshot-every` and the others), the users,
          the journal's highest `ordering`, the webhook subscriptions and how far they had
          delivered, and every table with its columns, primary key and row count.
        - `tables/<table>.jsonl`: every row of every table of the schema but the migrations'
          history (a database loaded with the fixture is first migrated to `schemaVersion`, and
          keeps its own), one JSON object per line, every column under its lower-case name,
          binary columns in base64, in primary-key order.
        - `expected/index.json`: each recorded request path and the file of its answer;
          `expected/**.json`: the answers (`200`, JSON) at the fixture's clock instant.

        The loader (`ReleaseFixture`) inserts the rows as they are, `ordering` included, into a
        schema that already exists, then moves the journal's identity past the highest
        `ordering` (H2: `ALTER TABLE ... RESTART WITH`; PostgreSQL: `setval`). It finds tables and
        columns by name in the target's metadata, so a later release that creates its schema
        differently (with migrations, say) loads it the same way.

        The webhook receiver the subscriptions point at existed only while the fixture was made.
        It acknowledged every delivery it was meant to (the dead letters are deliberate), and every
        subscription had delivered up to the newest transition, so a node started on this data
        sends nothing to it.

        ## Regenerate

        Only for a new release (a fixture is the record of what its release wrote; never
        regenerate an old one). From the repository root, on the release's commit:

        ```sh
        mvn -B -q -pl api -am test-compile dependency:build-classpath \\
          -Dmdep.outputFile=target/test.classpath
        java -Xmx512m -cp "api/target/test-classes:api/target/classes:$(cat api/target/test.classpath)" \\
          io.pulse.api.upgrade.ReleaseFixtureWriter api/src/test/resources/fixtures/release-%s
        ```

        It takes about five minutes (it waits for re-scoring, wake-ups and deliveries at each
        step), needs no PostgreSQL, and replaces the directory. From run to run, voucher codes,
        subscription ids and secrets, the generated event id, writer ids and wall-clock columns
        (`write_timestamp`, `created`, `last_updated`) differ, and so do journal orderings, since
        background writes (deliveries recorded, vouchers issued) interleave with the users'
        events differently; scores, bands, transitions and their times, and every figure are the
        same.

        """
            .formatted(
                release,
                description.get("clock"),
                description.get("commit"),
                description.get("workingTreeClean"),
                description.get("generator"),
                description.get("database"),
                release));

    text.append("## How it was made\n\n");
    text.append("Settings of the generating node, on top of this release's defaults:\n\n");
    ((Map<?, ?>) description.get("settings"))
        .forEach(
            (key, value) ->
                text.append("- `").append(key).append("` = `").append(value).append("`\n"));
    text.append(
        "\nThe clock started at `"
            + description.get("clockStart")
            + "` and moved only between steps, after everything the previous step set off had"
            + " finished:\n\n");
    for (String step : timeline) {
      text.append("- ").append(step).append('\n');
    }

    text.append("\n## Journaled changes it contains\n\n");
    text.append(
        "Every type this release journals (the stable names of `JournalSerializer`,"
            + " `PromotionJournalTypes` and `SubscriptionJournalSerializer`), the record it"
            + " holds, and the rows of `event_journal` that hold it (`persistence_id`"
            + " #`sequence_number`, and `ordering`):\n\n");
    text.append("| type | record | rows | first | last |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, List<ObjectNode>> type : coverage.events().entrySet()) {
      List<ObjectNode> rows = type.getValue();
      text.append("| `")
          .append(type.getKey())
          .append("` | ")
          .append(ReleaseFixtureWriter.EVENT_TYPES.getOrDefault(type.getKey(), "?"))
          .append(" | ")
          .append(rows.size())
          .append(" | ")
          .append(where(rows.get(0)))
          .append(" | ")
          .append(where(rows.get(rows.size() - 1)))
          .append(" |\n");
    }
    text.append(
        "\nSnapshots (`snapshot` table):\n\n| type | state | rows | entities |\n|---|---|---|---|\n");
    for (Map.Entry<String, List<ObjectNode>> type : coverage.snapshots().entrySet()) {
      text.append("| `")
          .append(type.getKey())
          .append("` | ")
          .append(ReleaseFixtureWriter.SNAPSHOT_TYPES.getOrDefault(type.getKey(), "?"))
          .append(" | ")
          .append(type.getValue().size())
          .append(" | ")
          .append(
              String.join(
                  ", ",
                  type.getValue().stream()
                      .map(
                          row ->
                              "`"
                                  + cell(row.get("persistence_id").asText())
                                  + "` #"
                                  + row.get("sequence_number").asText())
                      .toList()))
          .append(" |\n");
    }
    text.append("\nNot contained, though this release has them:\n\n");
    ReleaseFixtureWriter.ABSENT_TYPES.forEach(
        (type, why) -> text.append("- `").append(type).append("`: ").append(why).append(".\n"));

    text.append("\n## What the changes say\n\n");
    text.append("- Transitions by cause: `").append(coverage.transitionCauses()).append("`; ");
    text.append(coverage.intoInactive())
        .append(" into `inactive`, ")
        .append(coverage.outOfInactive())
        .append(" out of it.\n");
    text.append("- Campaign outcomes, all campaigns: `").append(coverage.outcomes()).append("`.\n");
    text.append("- Vouchers by status at the clock instant: `")
        .append(coverage.voucherStatuses())
        .append("`.\n");
    text.append("- Event types sent: `").append(coverage.eventTypes()).append("`.\n");
    text.append("- Channels sent: `").append(coverage.channels()).append("`.\n");
    text.append(
        "- Also: duplicates (recognised, so not journaled), late events (dated up to 13 days"
            + " before the latest), an event without `eventId` and `timestamp`, a purchase"
            + " without an amount, a daily cap reached, negative points, model `loyalty`"
            + " replaced by version 2 (re-scoring), model `sunset` deleted, model `scratch`"
            + " stored 50 times and deleted, a voucher redeemed, treatment and control"
            + " conversions, a subscription replayed, dead letters redelivered.\n");
    return text.toString();
  }

  private static String where(ObjectNode row) {
    return "`"
        + cell(row.get("persistence_id").asText())
        + "` #"
        + row.get("sequence_number").asText()
        + " (ordering "
        + row.get("ordering").asText()
        + ")";
  }

  /** A persistence id's '|' would end a table cell; escaped, it shows as itself. */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
