package io.pulse.engine.domain.subscription;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Every address a host name stands for. The production one asks the system resolver; tests give
 * names the addresses they need, such as a name that stands for a public address at one moment and
 * for loopback at the next.
 */
@FunctionalInterface
public interface HostResolver {

  List<InetAddress> resolve(String host) throws UnknownHostException;
}
