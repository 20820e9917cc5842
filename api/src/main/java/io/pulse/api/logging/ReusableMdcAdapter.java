package io.pulse.api.logging;

import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.helpers.ThreadLocalMapOfStacks;
import org.slf4j.spi.MDCAdapter;

/**
 * The mapped diagnostic context of each thread in a small map that is emptied, not thrown away.
 * Pekko sets the context (the persistence id, its phase, the actor's path) whenever an actor or an
 * event-sourced behavior asks for its logger, which the persistence of every user does for each
 * message it handles, and clears it after the message; Logback's own adapter drops the thread's map
 * on each clear and builds a new one on the next put, a few hundred bytes per message. A logging
 * event takes a copy, so what it shows is the context at the time it was logged.
 */
final class ReusableMdcAdapter implements MDCAdapter {

  private final ThreadLocal<Entries> entries = ThreadLocal.withInitial(Entries::new);
  private final ThreadLocalMapOfStacks stacks = new ThreadLocalMapOfStacks();

  @Override
  public void put(String key, String value) {
    if (key == null) {
      throw new IllegalArgumentException("key cannot be null");
    }
    entries.get().put(key, value);
  }

  @Override
  public String get(String key) {
    return key == null ? null : entries.get().get(key);
  }

  @Override
  public void remove(String key) {
    if (key != null) {
      entries.get().remove(key);
    }
  }

  @Override
  public void clear() {
    entries.get().clear();
  }

  /** What this thread holds now, as a map of its own; {@code null} when it holds nothing. */
  @Override
  public Map<String, String> getCopyOfContextMap() {
    return entries.get().copy();
  }

  @Override
  public void setContextMap(Map<String, String> contextMap) {
    Entries held = entries.get();
    held.clear();
    if (contextMap != null) {
      contextMap.forEach(
          (key, value) -> {
            if (key != null) {
              held.put(key, value);
            }
          });
    }
  }

  @Override
  public void pushByKey(String key, String value) {
    stacks.pushByKey(key, value);
  }

  @Override
  public String popByKey(String key) {
    return stacks.popByKey(key);
  }

  @Override
  public Deque<String> getCopyOfDequeByKey(String key) {
    return stacks.getCopyOfDequeByKey(key);
  }

  @Override
  public void clearDequeByKey(String key) {
    stacks.clearDequeByKey(key);
  }

  /** A handful of keys at most, so a linear search over arrays beats hashing them. */
  private static final class Entries {
    private String[] keys = new String[8];
    private String[] values = new String[8];
    private int size;

    private int indexOf(String key) {
      for (int i = 0; i < size; i++) {
        // The keys are nearly always the same constants: identity settles most comparisons.
        if (keys[i] == key || keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    void put(String key, String value) {
      int index = indexOf(key);
      if (index >= 0) {
        values[index] = value;
        return;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
    }

    String get(String key) {
      int index = indexOf(key);
      return index < 0 ? null : values[index];
    }

    void remove(String key) {
      int index = indexOf(key);
      if (index < 0) {
        return;
      }
      int last = size - 1;
      System.arraycopy(keys, index + 1, keys, index, last - index);
      System.arraycopy(values, index + 1, values, index, last - index);
      keys[last] = null;
      values[last] = null;
      size = last;
    }

    void clear() {
      // What a thread held must not stay reachable from it after the message it was set for.
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
    }

    Map<String, String> copy() {
      if (size == 0) {
        return null;
      }
      Map<String, String> copy = new HashMap<>(size * 2);
      for (int i = 0; i < size; i++) {
        copy.put(keys[i], values[i]);
      }
      return copy;
    }
  }
}
