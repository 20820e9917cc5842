package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackTest {

  /** A connection whose every call fails as a pool's closed connection does, and is recorded. */
  private static Connection closed(List<String> calls) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, arguments) -> {
              calls.add(method.getName());
              throw new SQLException("Connection is closed");
            });
  }

  @Test
  void aFailedRollbackIsKeptBesideTheFailureNotInItsPlace() {
    List<String> calls = new ArrayList<>();
    SQLException lost = new SQLException("An I/O error occurred", "08006");

    Rollback.keepingFailure(closed(calls), lost);

    assertEquals(List.of("rollback"), calls);
    assertEquals("08006", lost.getSQLState());
    assertEquals(1, lost.getSuppressed().length);
    assertEquals("Connection is closed", lost.getSuppressed()[0].getMessage());
  }

  @Test
  void aRollbackThatWorksAddsNothing() {
    List<String> calls = new ArrayList<>();
    Connection working =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                  calls.add(method.getName());
                  return null;
                });
    SQLException refused = new SQLException("duplicate key", "23505");

    Rollback.keepingFailure(working, refused);

    assertEquals(List.of("rollback"), calls);
    assertArrayEquals(new Throwable[0], refused.getSuppressed());
  }
}
