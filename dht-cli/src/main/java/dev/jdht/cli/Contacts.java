package dev.jdht.cli;

import dev.jdht.krpc.wire.HostPort;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The value of {@code --bootstrap}: a list of contacts ({@code none} is the empty list). A single
 * option value, so picocli does not treat the option as repeatable. Immutable.
 *
 * @param addresses the contacts, host names unresolved
 */
public record Contacts(List<InetSocketAddress> addresses) {
  /** Copies the list. */
  public Contacts {
    addresses = List.copyOf(addresses);
  }

  /** Parses {@code host:port,...} or {@code none}. */
  public static Contacts parse(String value) {
    if (value != null && value.strip().equalsIgnoreCase("none")) {
      return new Contacts(List.of());
    }
    return new Contacts(HostPort.parseList(value).stream().map(HostPort::toSocketAddress).toList());
  }
}
