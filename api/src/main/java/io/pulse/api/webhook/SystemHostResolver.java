package io.pulse.api.webhook;

import io.pulse.engine.domain.subscription.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The system's resolver: every address of a name, IPv4 and IPv6. It blocks while it asks. */
public final class SystemHostResolver implements HostResolver {

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    return List.of(InetAddress.getAllByName(host));
  }
}
