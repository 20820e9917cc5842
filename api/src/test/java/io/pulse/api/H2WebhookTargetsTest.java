package io.pulse.api;

import static io.pulse.api.TransitionSubscriptionsContract.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.webhook.SystemHostResolver;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.H2TestDatabase;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks go only where the operator allows, checked when a subscription is created and again when
 * each delivery connects; dead letters say why in generic words; secrets are sealed at rest. The
 * node allows 127.0.0.2 only, and resolves the test's names with a resolver of the test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2WebhookTargetsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NOT_ALLOWED = "url targets an address that webhooks may not reach";

  private final AtomicInteger rebindLookups = new AtomicInteger();
  private TestDatabase database;
  private TestServer server;
  private HttpJson http;

  /** {@code rebind.test} stands for an allowed address once, then for loopback. */
  private List<InetAddress> resolve(String host) throws UnknownHostException {
    return switch (host) {
      case "rebind.test" ->
          List.of(
              InetAddress.getByAddress(
                  host,
                  rebindLookups.getAndIncrement() == 0
                      ? new byte[] {127, 0, 0, 2}
                      : new byte[] {127, 0, 0, 1}));
      case "receiver.test" -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2}));
      default -> new SystemHostResolver().resolve(host);
    };
  }

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(DatabaseKind.H2);
    server =
        new TestServer(
            database,
            new TestClock(EndToEndContract.T0),
            Map.of(
                "pulse.webhooks.allowed-networks", "127.0.0.2/32",
                "pulse.webhooks.max-attempts", 3,
                "pulse.webhooks.min-backoff", "50ms",
                "pulse.webhooks.max-backoff", "200ms",
                "pulse.webhooks.connect-timeout", "1s",
                "pulse.webhooks.request-timeout", "2s",
                "pulse.webhooks.commit-interval", "200ms",
                "pulse.webhooks.keep-alive-interval", "1s"),
            this::resolve);
    http = server.http();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void internalTargetsAreRefusedAtCreationWhateverTheirSpelling() {
    for (String url :
        List.of(
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:5432/",
            "http://[::1]:6379/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://127.1/",
            "http://0177.0.0.1/",
            "http://127.000.000.001/",
            "http://10.0.0.1/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost:9/")) {
      HttpJson.Answer answer = subscribeAnswer(url);
      EndToEndContract.assertProblem(400, answer);
      JsonNode problem = answer.json();
      assertEquals("urn:pulse:problem:invalid-subscription", problem.get("type").asText(), url);
      assertEquals(NOT_ALLOWED, problem.get("detail").asText(), url);
      assertEquals(NOT_ALLOWED, problem.get("errors").get(0).asText(), url);
    }
    HttpJson.Answer credentials = subscribeAnswer("https://user:pass@receiver.test/hooks");
    EndToEndContract.assertProblem(400, credentials);
    assertEquals(
        "url must not contain user-info (credentials before '@')",
        credentials.json().get("detail").asText());
  }

  @Test
  void aNameThatTurnsToLoopbackAfterCreationIsRefusedWhenTheDeliveryConnects() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver("127.0.0.1", WebhookReceiver.always(200))) {
      // at creation the name stands for the allowed 127.0.0.2
      String user = newUser("rebind");
      String id = subscribe("http://rebind.test:" + receiver.port() + "/hooks/pulse", user);
      assertEquals(1, rebindLookups.get());

      click(user);

      awaitTrue("a dead letter", () -> deadLetters(id).size() == 1, WAIT);
      JsonNode letter = deadLetters(id).get(0);
      assertEquals("target not allowed", letter.get("lastError").asText());
      // final at once: a refused target is not retried
      assertEquals(1, letter.get("attempts").asInt(), letter.toString());
      assertTrue(rebindLookups.get() >= 2, "the name was resolved again to connect");
      assertEquals(List.of(), receiver.requests());
    }
  }

  @Test
  void anAllowedReceiverIsReachedThroughTheCheckedAddress() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver("127.0.0.2", WebhookReceiver.always(200))) {
      // receiver.test is known only to the test's resolver: the delivery connects through it
      String user = newUser("allowed");
      String id = subscribe("http://receiver.test:" + receiver.port() + "/hooks/pulse", user);

      click(user);

      awaitTrue("the delivery", () -> receiver.delivered().size() == 1, WAIT);
      WebhookReceiver.Request request = receiver.delivered().get(0);
      assertEquals(user + ":engagement:1", request.eventId());
      TransitionSubscriptionsContract.assertValidCloudEvent(request, id);
    }
  }

  @Test
  void deadLettersGiveAGenericReasonAndNoStatusCode() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      closedPort = socket.getLocalPort();
    }
    try (WebhookReceiver refusing = new WebhookReceiver("127.0.0.2", WebhookReceiver.always(404))) {
      String user = newUser("generic");
      String refused = subscribe(refusing.url(), user);
      String unreachable = subscribe("http://127.0.0.2:" + closedPort + "/hooks/pulse", user);

      click(user);

      awaitTrue("a refused letter", () -> deadLetters(refused).size() == 1, WAIT);
      awaitTrue("an unreachable letter", () -> deadLetters(unreachable).size() == 1, WAIT);
      JsonNode refusedLetter = deadLetters(refused).get(0);
      assertEquals("receiver refused the delivery", refusedLetter.get("lastError").asText());
      assertEquals(1, refusedLetter.get("attempts").asInt());
      JsonNode unreachableLetter = deadLetters(unreachable).get(0);
      assertEquals("receiver unreachable", unreachableLetter.get("lastError").asText());
      assertEquals(3, unreachableLetter.get("attempts").asInt());
      for (JsonNode letter : List.of(refusedLetter, unreachableLetter)) {
        String error = letter.get("lastError").asText();
        assertFalse(error.matches(".*\\d.*"), error);
      }
    }
  }

  @Test
  void aSecretIsJournaledSealedAndShownMasked() throws Exception {
    String secret = "at-rest-" + UUID.randomUUID().toString().replace("-", "");
    Map<String, Object> body = new HashMap<>();
    body.put("url", "http://receiver.test:9/hooks/pulse");
    body.put("secret", secret);
    HttpJson.Answer created = http.post("/v1/subscriptions", HttpJson.json(body));
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    assertEquals(
        "****" + secret.substring(secret.length() - 4), created.json().get("secret").asText());

    Path directory = ((H2TestDatabase) database).dataDirectory();
    awaitTrue(
        "the sealed secret in the journal",
        () -> journalContains(directory, "pulse-sealed:v1:") && journalContains(directory, id),
        WAIT);
    assertFalse(journalContains(directory, secret), "the plain secret is in the data directory");
    assertEquals(
        "****" + secret.substring(secret.length() - 4),
        http.get("/v1/subscriptions/" + id).json().get("secret").asText());
    http.delete("/v1/subscriptions/" + id);
  }

  private static boolean journalContains(Path directory, String text) {
    byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        if (indexOf(bytes, wanted) >= 0) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int indexOf(byte[] bytes, byte[] wanted) {
    outer:
    for (int i = 0; i + wanted.length <= bytes.length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (bytes[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private HttpJson.Answer subscribeAnswer(String url) {
    return subscribeAnswer(url, "nobody");
  }

  /** Subscribes to the transitions of {@code user} alone, so that other tests' do not count. */
  private HttpJson.Answer subscribeAnswer(String url, String user) {
    Map<String, Object> body = new HashMap<>();
    body.put("url", url);
    body.put("filter", Map.of("user", user));
    body.put("secret", TransitionSubscriptionsContract.SECRET);
    return http.post("/v1/subscriptions", HttpJson.json(body));
  }

  private String subscribe(String url, String user) {
    HttpJson.Answer answer = subscribeAnswer(url, user);
    assertEquals(201, answer.status(), answer.body());
    return answer.json().get("id").asText();
  }

  private static String newUser(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** One email click by a new user: a transition into the low band. */
  private void click(String user) {
    HttpJson.Answer answer =
        http.post(
            "/v1/events",
            HttpJson.json(
                List.of(EndToEndContract.event("e-" + user, user, "email_click", "email"))));
    assertEquals(202, answer.status(), answer.body());
  }

  private JsonNode deadLetters(String id) {
    HttpJson.Answer answer = http.get("/v1/subscriptions/" + id + "/dead-letters");
    assertEquals(200, answer.status(), answer.body());
    return answer.json().get("deadLetters");
  }
}
