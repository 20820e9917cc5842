package io.pulse.api.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Reads the users' journal straight from the database, with the server's own serializer, and
 * recomputes each user's engagement from the journaled events with the engine's pure domain.
 */
public final class JournalAudit {

  /** One user's accepted events, in journal order. */
  public record UserJournal(String userId, List<BehaviouralEvent> events) {

    /** The user as the pure domain scores these events afresh under {@code model}. */
    UserEngagement recompute(ScoringModel model) {
      return UserEngagement.empty(userId, 1024).record(events, ScoringModels.of(model)).state();
    }

    double scoreAt(ScoringModel model, Instant now) {
      return recompute(model).standingIn(model, now).score();
    }
  }

  /** A segment transition as journaled, and when the journal was asked to write it. */
  public record JournaledTransition(SegmentTransition transition, Instant writtenAt) {}

  private JournalAudit() {}

  private static ActorSystem serializing() {
    Config config =
        ConfigFactory.parseString(
                "pekko.actor.provider = local\n"
                    + "pekko.loglevel = WARNING\n"
                    + "pekko.fail-mixed-versions = off")
            .withFallback(ConfigFactory.parseResources("engine.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    return ActorSystem.create("journal-audit", config);
  }

  /**
   * The segment transitions of the users whose ids start with {@code userIdPrefix}, with the write
   * timestamp the journal gave them: the moment their user handed them to the journal.
   */
  public static List<JournaledTransition> transitions(TestDatabase database, String userIdPrefix)
      throws SQLException {
    ActorSystem system = serializing();
    String prefix = UserEntity.ENTITY_KEY.name() + "|";
    try (Connection connection = connect(database);
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT write_timestamp, event_ser_id, event_ser_manifest, event_payload"
                    + " FROM event_journal WHERE persistence_id LIKE ? AND NOT deleted"
                    + " ORDER BY ordering")) {
      select.setString(1, prefix + "%|" + userIdPrefix + "%");
      Serialization serialization = SerializationExtension.get(system);
      List<JournaledTransition> transitions = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          Object change =
              serialization.deserialize(row.getBytes(4), row.getInt(2), row.getString(3)).get();
          if (change instanceof SegmentTransition transition) {
            transitions.add(
                new JournaledTransition(transition, Instant.ofEpochMilli(row.getLong(1))));
          }
        }
      }
      return transitions;
    } finally {
      system.terminate();
    }
  }

  /** Every user's journaled events (transitions left out), by user id. */
  public static Map<String, UserJournal> read(TestDatabase database) throws SQLException {
    ActorSystem system = serializing();
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      Serialization serialization = SerializationExtension.get(system);
      Map<String, UserJournal> users = new LinkedHashMap<>();
      String prefix = UserEntity.ENTITY_KEY.name() + "|";
      try (ResultSet row =
          statement.executeQuery(
              "SELECT persistence_id, event_ser_id, event_ser_manifest, event_payload"
                  + " FROM event_journal WHERE persistence_id LIKE '"
                  + prefix
                  + "%' AND NOT deleted ORDER BY persistence_id, sequence_number")) {
        while (row.next()) {
          Object change =
              serialization.deserialize(row.getBytes(4), row.getInt(2), row.getString(3)).get();
          if (change instanceof ScoredEvent scored) {
            String userId = UserEntity.userIdOf(row.getString(1).substring(prefix.length()));
            users
                .computeIfAbsent(userId, id -> new UserJournal(id, new ArrayList<>()))
                .events()
                .add(scored.event());
          }
        }
      }
      return users;
    } finally {
      system.terminate();
    }
  }

  private static Connection connect(TestDatabase database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", database.user());
    if (!database.password().isEmpty()) {
      properties.setProperty("password", database.password());
    }
    return DriverManager.getConnection(database.jdbcUrl(), properties);
  }
}
