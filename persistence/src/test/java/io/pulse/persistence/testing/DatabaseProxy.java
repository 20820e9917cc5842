package io.pulse.persistence.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy between a node and a test database that a test can cut, as a database outage looks to
 * the node (every connection closed, new ones refused), and restore, without touching the database
 * server that other tests share. Plain sockets, two threads per connection.
 */
public final class DatabaseProxy implements AutoCloseable {

  private static final Pattern POSTGRES_URL =
      Pattern.compile("jdbc:postgresql://([^/:?,]+)(?::(\\d+))?(/.*)");

  private final InetSocketAddress upstream;
  private final int port;
  private final String upstreamUrlPath;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private ServerSocket listener;
  private boolean closed;

  private DatabaseProxy(InetSocketAddress upstream, String upstreamUrlPath) {
    this.upstream = upstream;
    this.upstreamUrlPath = upstreamUrlPath;
    try {
      this.listener = listen(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = listener.getLocalPort();
    accept(listener);
  }

  /** A proxy on a free local port in front of the PostgreSQL server of {@code database}. */
  public static DatabaseProxy inFrontOf(TestDatabase database) {
    Matcher url = POSTGRES_URL.matcher(database.jdbcUrl());
    if (!url.matches()) {
      throw new IllegalArgumentException(
          "a proxy needs a single-host PostgreSQL URL; got " + database.jdbcUrl());
    }
    int port = url.group(2) == null ? 5432 : Integer.parseInt(url.group(2));
    return new DatabaseProxy(new InetSocketAddress(url.group(1), port), url.group(3));
  }

  /** The database's JDBC URL, through this proxy. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + upstreamUrlPath;
  }

  /** Closes every connection through the proxy and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    if (listener == null) {
      return;
    }
    closeQuietly(listener);
    listener = null;
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() {
    if (listener != null || closed) {
      return;
    }
    try {
      listener = listen(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " again", e);
    }
    accept(listener);
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    return socket;
  }

  private void accept(ServerSocket from) {
    Thread acceptor =
        new Thread(
            () -> {
              while (!from.isClosed()) {
                try {
                  connect(from.accept());
                } catch (IOException closedOrFailed) {
                  // cut, or closed: the loop ends with the listener
                }
              }
            },
            "database-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    try {
      server.connect(upstream, 5_000);
      server.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
      return;
    }
    synchronized (this) {
      if (listener == null) {
        // cut while this connection was being made
        closeQuietly(client);
        closeQuietly(server);
        return;
      }
      sockets.add(client);
      sockets.add(server);
    }
    pump(client, server);
    pump(server, client);
  }

  /** Copies {@code from} to {@code to} until either closes, then closes both. */
  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (SocketException closed) {
                // cut, or the other side went away
              } catch (IOException e) {
                // the same, seen from a stream
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "database-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing is all that is asked
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    cut();
  }
}
