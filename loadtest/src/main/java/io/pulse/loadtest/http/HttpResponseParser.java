package io.pulse.loadtest.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Incremental HTTP/1.x response reader for one connection: feed it with {@link #readFrom} until
 * {@link #complete} says a whole response is buffered, handle it, then {@link #consume} it. Handles
 * Content-Length, chunked and close-delimited bodies, and skips 1xx interim responses.
 */
public final class HttpResponseParser {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  private static final long DEFAULT_RETRY_AFTER_MILLIS = 1000;

  private byte[] buffer = new byte[8 * 1024];
  private ByteBuffer view = ByteBuffer.wrap(buffer);
  private int length;
  private boolean endOfStream;

  private int headEnd = -1;
  private int searchFrom;
  private int status;
  private boolean http10;
  private long contentLength = -1;
  private boolean chunked;
  private boolean closeAfter;
  private long retryAfterMillis = -1;

  private int chunkPosition;
  private byte[] chunkedBody = new byte[0];
  private int chunkedBodyLength;

  private int messageEnd;
  private byte[] body;
  private int bodyOffset;
  private int bodyLength;

  /** Reads what the channel has now; -1 at end of stream. */
  public int readFrom(ReadableByteChannel channel) throws IOException {
    if (length == buffer.length) {
      if (buffer.length >= MAX_HEAD_BYTES + MAX_BODY_BYTES) {
        throw new IOException("response larger than " + (MAX_HEAD_BYTES + MAX_BODY_BYTES));
      }
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
      view = ByteBuffer.wrap(buffer);
    }
    view.limit(buffer.length).position(length);
    int n = channel.read(view);
    if (n > 0) {
      length += n;
    } else if (n < 0) {
      endOfStream = true;
    }
    return n;
  }

  /** Appends bytes as if read from a channel; lets tests feed arbitrary splits. */
  public void feed(byte[] bytes, int offset, int count) {
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
      view = ByteBuffer.wrap(buffer);
    }
    System.arraycopy(bytes, offset, buffer, length, count);
    length += count;
  }

  /** Marks the end of the stream, which completes a close-delimited body. */
  public void feedEndOfStream() {
    endOfStream = true;
  }

  /** Whether a complete final response is buffered. */
  public boolean complete() throws HttpProtocolException {
    while (true) {
      if (headEnd < 0 && !parseHead()) {
        return false;
      }
      if (status >= 100 && status < 200) {
        discard(headEnd);
        continue;
      }
      break;
    }
    if (chunked) {
      return decodeChunks();
    }
    if (contentLength >= 0) {
      if (length - headEnd < contentLength) {
        return false;
      }
      setBody(buffer, headEnd, (int) contentLength, headEnd + (int) contentLength);
      return true;
    }
    if (status == 204 || status == 304) {
      setBody(buffer, headEnd, 0, headEnd);
      return true;
    }
    if (endOfStream) {
      closeAfter = true;
      setBody(buffer, headEnd, length - headEnd, length);
      return true;
    }
    return false;
  }

  /** Forgets the response just handled, keeping any bytes that follow it. */
  public void consume() {
    discard(messageEnd);
  }

  /** True if nothing is buffered beyond handled responses. */
  public boolean isEmpty() {
    return length == 0;
  }

  public int status() {
    return status;
  }

  /** The server asked to close the connection after this response (or it is HTTP/1.0). */
  public boolean closeAfter() {
    return closeAfter;
  }

  /** Retry-After in milliseconds, or -1 when the response has none. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  public byte[] body() {
    return body;
  }

  public int bodyOffset() {
    return bodyOffset;
  }

  public int bodyLength() {
    return bodyLength;
  }

  public String bodyText() {
    return new String(body, bodyOffset, bodyLength, StandardCharsets.UTF_8);
  }

  private boolean parseHead() throws HttpProtocolException {
    int end = -1;
    for (int i = Math.max(0, searchFrom - 3); i + 3 < length; i++) {
      if (buffer[i] == '\r'
          && buffer[i + 1] == '\n'
          && buffer[i + 2] == '\r'
          && buffer[i + 3] == '\n') {
        end = i + 4;
        break;
      }
    }
    if (end < 0) {
      searchFrom = length;
      if (length > MAX_HEAD_BYTES) {
        throw new HttpProtocolException("response head larger than " + MAX_HEAD_BYTES + " bytes");
      }
      return false;
    }
    headEnd = end;
    int lineEnd = indexOfCrlf(0, end);
    parseStatusLine(lineEnd);
    closeAfter = http10;
    int lineStart = lineEnd + 2;
    while (lineStart < end - 2) {
      int next = indexOfCrlf(lineStart, end);
      parseHeader(lineStart, next);
      lineStart = next + 2;
    }
    if (contentLength > MAX_BODY_BYTES) {
      throw new HttpProtocolException("response body too large: " + contentLength);
    }
    chunkPosition = headEnd;
    return true;
  }

  private void parseStatusLine(int lineEnd) throws HttpProtocolException {
    // "HTTP/1.1 202 Accepted": the code is always at offsets 9 to 11.
    if (lineEnd < 12
        || !startsWith(0, "HTTP/1.")
        || buffer[8] != ' '
        || !isDigit(buffer[9])
        || !isDigit(buffer[10])
        || !isDigit(buffer[11])) {
      throw new HttpProtocolException(
          "bad status line: "
              + new String(buffer, 0, Math.min(lineEnd, 80), StandardCharsets.ISO_8859_1));
    }
    http10 = buffer[7] == '0';
    status = (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
  }

  private void parseHeader(int start, int end) throws HttpProtocolException {
    int colon = -1;
    for (int i = start; i < end; i++) {
      if (buffer[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      throw new HttpProtocolException("header line without a colon");
    }
    int valueStart = colon + 1;
    int valueEnd = end;
    while (valueStart < valueEnd && isSpace(buffer[valueStart])) {
      valueStart++;
    }
    while (valueEnd > valueStart && isSpace(buffer[valueEnd - 1])) {
      valueEnd--;
    }
    if (nameIs(start, colon, "content-length")) {
      contentLength = parseNonNegative(valueStart, valueEnd, "Content-Length");
    } else if (nameIs(start, colon, "transfer-encoding")) {
      chunked = containsIgnoreCase(valueStart, valueEnd, "chunked");
    } else if (nameIs(start, colon, "connection")) {
      if (containsIgnoreCase(valueStart, valueEnd, "close")) {
        closeAfter = true;
      } else if (containsIgnoreCase(valueStart, valueEnd, "keep-alive")) {
        closeAfter = false;
      }
    } else if (nameIs(start, colon, "retry-after")) {
      retryAfterMillis = parseRetryAfter(valueStart, valueEnd);
    }
  }

  private long parseRetryAfter(int start, int end) {
    if (start < end && allDigits(start, end) && end - start <= 9) {
      long seconds = 0;
      for (int i = start; i < end; i++) {
        seconds = seconds * 10 + (buffer[i] - '0');
      }
      return seconds * 1000;
    }
    String value = new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
    } catch (DateTimeParseException e) {
      return DEFAULT_RETRY_AFTER_MILLIS;
    }
  }

  private boolean decodeChunks() throws HttpProtocolException {
    while (true) {
      int lineEnd = indexOfCrlf(chunkPosition, length);
      if (lineEnd < 0) {
        return false;
      }
      long size = parseChunkSize(chunkPosition, lineEnd);
      int dataStart = lineEnd + 2;
      if (size == 0) {
        int trailerEnd = endOfTrailers(dataStart);
        if (trailerEnd < 0) {
          return false;
        }
        setBody(chunkedBody, 0, chunkedBodyLength, trailerEnd);
        return true;
      }
      if (chunkedBodyLength + size > MAX_BODY_BYTES) {
        throw new HttpProtocolException("chunked body larger than " + MAX_BODY_BYTES);
      }
      if (length < dataStart + size + 2) {
        return false;
      }
      int n = (int) size;
      if (chunkedBodyLength + n > chunkedBody.length) {
        chunkedBody = Arrays.copyOf(chunkedBody, Math.max(chunkedBodyLength + n, 1024));
      }
      System.arraycopy(buffer, dataStart, chunkedBody, chunkedBodyLength, n);
      chunkedBodyLength += n;
      chunkPosition = dataStart + n + 2;
    }
  }

  /** End of the trailer section after the last chunk, or -1 if not all buffered yet. */
  private int endOfTrailers(int from) {
    if (from + 1 < length && buffer[from] == '\r' && buffer[from + 1] == '\n') {
      return from + 2;
    }
    for (int i = from; i + 3 < length; i++) {
      if (buffer[i] == '\r'
          && buffer[i + 1] == '\n'
          && buffer[i + 2] == '\r'
          && buffer[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private long parseChunkSize(int start, int end) throws HttpProtocolException {
    long size = 0;
    int digits = 0;
    for (int i = start; i < end; i++) {
      byte b = buffer[i];
      int value = Character.digit(b, 16);
      if (value < 0) {
        if (b == ';' || isSpace(b)) {
          break;
        }
        throw new HttpProtocolException("bad chunk size");
      }
      if (++digits > 8) {
        throw new HttpProtocolException("chunk size too large");
      }
      size = size * 16 + value;
    }
    if (digits == 0) {
      throw new HttpProtocolException("missing chunk size");
    }
    return size;
  }

  private void setBody(byte[] source, int offset, int count, int end) {
    body = source;
    bodyOffset = offset;
    bodyLength = count;
    messageEnd = end;
  }

  private void discard(int upTo) {
    int remaining = length - upTo;
    if (remaining > 0) {
      System.arraycopy(buffer, upTo, buffer, 0, remaining);
    }
    length = Math.max(0, remaining);
    headEnd = -1;
    searchFrom = 0;
    status = 0;
    http10 = false;
    contentLength = -1;
    chunked = false;
    closeAfter = false;
    retryAfterMillis = -1;
    chunkPosition = 0;
    chunkedBodyLength = 0;
    messageEnd = 0;
    body = null;
    bodyOffset = 0;
    bodyLength = 0;
  }

  private int indexOfCrlf(int from, int limit) {
    for (int i = from; i + 1 < limit; i++) {
      if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private long parseNonNegative(int start, int end, String header) throws HttpProtocolException {
    if (start == end || !allDigits(start, end) || end - start > 18) {
      throw new HttpProtocolException("bad " + header);
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      value = value * 10 + (buffer[i] - '0');
    }
    return value;
  }

  private boolean nameIs(int start, int end, String lowerCaseName) {
    if (end - start != lowerCaseName.length()) {
      return false;
    }
    for (int i = 0; i < lowerCaseName.length(); i++) {
      if (toLower(buffer[start + i]) != lowerCaseName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean containsIgnoreCase(int start, int end, String lowerCaseToken) {
    int n = lowerCaseToken.length();
    for (int i = start; i + n <= end; i++) {
      boolean match = true;
      for (int j = 0; j < n && match; j++) {
        match = toLower(buffer[i + j]) == lowerCaseToken.charAt(j);
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  private boolean startsWith(int start, String ascii) {
    if (start + ascii.length() > length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (buffer[start + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean allDigits(int start, int end) {
    for (int i = start; i < end; i++) {
      if (!isDigit(buffer[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  private static char toLower(byte b) {
    return (char) (b >= 'A' && b <= 'Z' ? b + 32 : b);
  }
}
