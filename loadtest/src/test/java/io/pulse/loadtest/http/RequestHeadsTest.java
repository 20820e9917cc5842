package io.pulse.loadtest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestHeadsTest {
  private static final TargetUrl TARGET = TargetUrl.parse("http://127.0.0.1:8080");
  private static final byte[] BODY = "[{\"userId\":\"u-1\"}]".getBytes(StandardCharsets.US_ASCII);

  @Test
  void eachRequestCarriesTheNextKeyAndItsLength() {
    ApiKeys keys = ApiKeys.of(List.of("key-a", "key-b", "key-c"));
    RequestHeads heads = new RequestHeads(TARGET, "/v1/events", keys, 1);

    assertEquals(
        "POST /v1/events HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8080\r\n"
            + "User-Agent: pulse-loadtest\r\n"
            + "Accept: application/json\r\n"
            + "Content-Type: application/json\r\n"
            + "Authorization: Bearer key-b\r\n"
            + "Content-Length: "
            + BODY.length
            + "\r\n\r\n"
            + new String(BODY, StandardCharsets.US_ASCII),
        request(heads));
    assertEquals(1, heads.lastKey());
    assertTrue(request(heads).contains("Authorization: Bearer key-c\r\n"));
    assertEquals(2, heads.lastKey());
    assertTrue(request(heads).contains("Authorization: Bearer key-a\r\n"));
    assertEquals(0, heads.lastKey());
  }

  @Test
  void withoutAKeyThereIsNoAuthorizationHeader() {
    RequestHeads heads = new RequestHeads(TARGET, "/v1/events", ApiKeys.none(), 3);

    String request = request(heads);
    assertFalse(request.contains("Authorization"), request);
    assertTrue(request.contains("Content-Length: " + BODY.length + "\r\n\r\n["), request);
    assertEquals(0, heads.lastKey());
  }

  @Test
  void writingAHeadAllocatesNothing() {
    ApiKeys keys = ApiKeys.of(List.of("key-a", "key-b", "key-c"));
    RequestHeads heads = new RequestHeads(TARGET, "/v1/events", keys, 0);
    byte[] buffer = new byte[heads.reserve() + 100_000];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int i = 0; i < 200_000; i++) {
      sink += heads.write(buffer, heads.reserve(), i % 100_000);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 200_000; i++) {
      sink += heads.write(buffer, heads.reserve(), i % 100_000);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertTrue(sink > 0);
    assertTrue(allocated < 1024, "bytes allocated by 200,000 heads: " + allocated);
  }

  private static String request(RequestHeads heads) {
    byte[] buffer = new byte[heads.reserve() + BODY.length];
    System.arraycopy(BODY, 0, buffer, heads.reserve(), BODY.length);
    int start = heads.write(buffer, heads.reserve(), BODY.length);
    return new String(buffer, start, buffer.length - start, StandardCharsets.US_ASCII);
  }
}
