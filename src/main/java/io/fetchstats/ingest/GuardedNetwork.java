package io.fetchstats.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import javax.net.SocketFactory;
import okhttp3.Dns;

/**
 * Enforces the {@link AddressPolicy} on the address each connection actually uses. The DNS step
 * gives a clear early error for names that resolve only inside; the socket step checks every
 * connect, redirects and IP-literal URLs included, so DNS tricks cannot get through.
 */
final class GuardedNetwork {
  private final AddressPolicy policy;

  GuardedNetwork(AddressPolicy policy) {
    this.policy = policy;
  }

  Dns dns() {
    return host -> {
      List<InetAddress> all = Dns.SYSTEM.lookup(host);
      List<InetAddress> allowed = all.stream().filter(a -> policy.refusal(a).isEmpty()).toList();
      if (allowed.isEmpty()) {
        throw new BlockedAddressException(
            "blocked: "
                + host
                + " resolves to "
                + policy.refusal(all.get(0)).orElseThrow()
                + " (fetching from private networks is not allowed)");
      }
      return allowed;
    };
  }

  SocketFactory socketFactory() {
    return new SocketFactory() {
      @Override
      public Socket createSocket() {
        return new GuardedSocket();
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
          throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      @Override
      public Socket createSocket(
          InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        return connected(new InetSocketAddress(address, port));
      }

      private Socket connected(InetSocketAddress endpoint) throws IOException {
        Socket socket = new GuardedSocket();
        socket.connect(endpoint);
        return socket;
      }
    };
  }

  private final class GuardedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (endpoint instanceof InetSocketAddress inet) {
        InetAddress address = inet.getAddress();
        if (address == null) {
          throw new UnknownHostException(inet.getHostString());
        }
        Optional<String> refusal = policy.refusal(address);
        if (refusal.isPresent()) {
          close();
          throw new BlockedAddressException(
              "blocked: " + refusal.get() + " (fetching from private networks is not allowed)");
        }
      }
      super.connect(endpoint, timeout);
    }
  }
}
