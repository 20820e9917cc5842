package io.pulse.loadtest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void contentLengthBodyFedOneByteAtATime() throws Exception {
    byte[] response =
        ascii(
            "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 43\r\n\r\n"
                + "{\"accepted\":3,\"duplicates\":1,\"rejected\":[]}X");
    HttpResponseParser parser = new HttpResponseParser();
    int completedAt = -1;
    for (int i = 0; i < response.length - 1 && completedAt < 0; i++) {
      parser.feed(response, i, 1);
      if (parser.complete()) {
        completedAt = i;
      }
    }
    assertEquals(response.length - 2, completedAt, "complete exactly at the last body byte");
    assertEquals(202, parser.status());
    assertFalse(parser.closeAfter());
    assertEquals(-1, parser.retryAfterMillis());
    AckParser ack = new AckParser();
    assertTrue(ack.parse(parser.body(), parser.bodyOffset(), parser.bodyLength(), e -> {}));
    assertEquals(3, ack.accepted());
    assertEquals(1, ack.duplicates());
    assertEquals(0, ack.rejected());
    parser.consume();
    assertTrue(parser.isEmpty());
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailersAfterAnInterimResponse() throws Exception {
    String response =
        "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 202 Accepted\r\ntransfer-encoding: Chunked\r\n\r\n"
            + "a;ext=1\r\n{\"accepted\r\n"
            + "1C\r\n\":0,\"duplicates\":0,\"rejected\r\n"
            + "2f\r\n\":[{\"index\":1,\"error\":\"bad type\"},{\"index\":2}]}\r\n"
            + "0\r\nX-Trailer: yes\r\n\r\n";
    HttpResponseParser parser = new HttpResponseParser();
    byte[] bytes = ascii(response);
    parser.feed(bytes, 0, bytes.length - 1);
    assertFalse(parser.complete(), "trailer section not finished yet");
    parser.feed(bytes, bytes.length - 1, 1);
    assertTrue(parser.complete());
    assertEquals(202, parser.status());
    List<String> errors = new ArrayList<>();
    AckParser ack = new AckParser();
    assertTrue(ack.parse(parser.body(), parser.bodyOffset(), parser.bodyLength(), errors::add));
    assertEquals(0, ack.accepted());
    assertEquals(2, ack.rejected());
    assertEquals(List.of("bad type", "(no error text)"), errors);
  }

  @Test
  void overloadWithRetryAfterAndConnectionClose() throws Exception {
    byte[] bytes =
        ascii(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nConnection: close\r\n"
                + "Content-Type: application/problem+json\r\nContent-Length: 61\r\n\r\n"
                + "{\"type\":\"about:blank\",\"title\":\"Overloaded\",\"status\":503     }");
    HttpResponseParser parser = new HttpResponseParser();
    parser.feed(bytes, 0, bytes.length);
    assertTrue(parser.complete());
    assertEquals(503, parser.status());
    assertEquals(2000, parser.retryAfterMillis());
    assertTrue(parser.closeAfter());
    assertEquals(
        "Overloaded",
        AckParser.problemSummary(parser.body(), parser.bodyOffset(), parser.bodyLength()));
  }

  @Test
  void bodyDelimitedByCloseAndHttp10() throws Exception {
    byte[] bytes = ascii("HTTP/1.0 500 Internal Server Error\r\nRetry-After: soon\r\n\r\noops");
    HttpResponseParser parser = new HttpResponseParser();
    parser.feed(bytes, 0, bytes.length);
    assertFalse(parser.complete(), "no length: the body runs until the connection closes");
    parser.feedEndOfStream();
    assertTrue(parser.complete());
    assertEquals("oops", parser.bodyText());
    assertTrue(parser.closeAfter());
    assertEquals(1000, parser.retryAfterMillis(), "an unreadable Retry-After means one second");
  }

  @Test
  void twoResponsesInOneReadAreSeparated() throws Exception {
    byte[] bytes =
        ascii("HTTP/1.1 204 No Content\r\n\r\n" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    HttpResponseParser parser = new HttpResponseParser();
    parser.feed(bytes, 0, bytes.length);
    assertTrue(parser.complete());
    assertEquals(204, parser.status());
    assertEquals(0, parser.bodyLength());
    parser.consume();
    assertTrue(parser.complete());
    assertEquals(200, parser.status());
    assertEquals("ok", parser.bodyText());
  }

  @Test
  void garbageIsAProtocolError() {
    HttpResponseParser parser = new HttpResponseParser();
    byte[] bytes = ascii("SMTP ready\r\n\r\n");
    parser.feed(bytes, 0, bytes.length);
    assertThrows(HttpProtocolException.class, parser::complete);

    HttpResponseParser badLength = new HttpResponseParser();
    byte[] length = ascii("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
    badLength.feed(length, 0, length.length);
    assertThrows(HttpProtocolException.class, badLength::complete);
  }

  @Test
  void ackWithoutAcceptedIsNotAnAck() {
    byte[] body = ascii("{\"status\":\"ok\"}");
    assertFalse(new AckParser().parse(body, 0, body.length, e -> {}));
    byte[] notJson = ascii("<html>");
    assertFalse(new AckParser().parse(notJson, 0, notJson.length, e -> {}));
  }

  @Test
  void targetUrlBuildsTheRequestHead() {
    TargetUrl url = TargetUrl.parse("http://localhost:9000/pulse/");
    assertEquals("localhost", url.host());
    assertEquals(9000, url.port());
    String head = url.postHeadUpToHeaders("/v1/events");
    assertTrue(head.startsWith("POST /pulse/v1/events HTTP/1.1\r\nHost: localhost:9000\r\n"), head);
    assertTrue(head.endsWith("Content-Type: application/json\r\n"), head);
    assertEquals(80, TargetUrl.parse("http://example.org").port());
    assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse("https://example.org"));
  }
}
