package io.pulse.loadtest.gen;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The behavioural events the generator sends, each with the channel it arrives on. */
public enum EventType {
  EMAIL_OPEN("email_open", "email"),
  EMAIL_CLICK("email_click", "email"),
  PUSH_CLICK("push_click", "push"),
  PAGE_VIEW("page_view", "web"),
  APP_SESSION("app_session", "app"),
  PURCHASE("purchase", "web"),
  SUPPORT_CONTACT("support_contact", "other");

  private final String wireName;
  private final String channel;
  private final byte[] typeAndChannelJson;

  EventType(String wireName, String channel) {
    this.wireName = wireName;
    this.channel = channel;
    // Both values are constants, so the whole fragment is encoded once instead of per event.
    this.typeAndChannelJson =
        (",\"type\":\"" + wireName + "\",\"channel\":\"" + channel + "\"")
            .getBytes(StandardCharsets.US_ASCII);
  }

  public String wireName() {
    return wireName;
  }

  public String channel() {
    return channel;
  }

  byte[] typeAndChannelJson() {
    return typeAndChannelJson;
  }

  /** Looks a type up by its wire name, e.g. {@code email_open}. */
  public static EventType fromWireName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (EventType type : values()) {
      if (type.wireName.equals(wanted)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown event type '" + name + "'; known: " + java.util.Arrays.toString(wireNames()));
  }

  static String[] wireNames() {
    EventType[] all = values();
    String[] names = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      names[i] = all[i].wireName;
    }
    return names;
  }
}
