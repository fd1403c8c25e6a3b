package org.cam4j.server;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} and {@code Origin} headers the server answers. A web page that rebinds its
 * own DNS name to this machine's address sends its name as Host: only the names the server is
 * reached by are accepted (the bound address, loopback names when bound to loopback, any IP
 * address when bound to all interfaces, plus {@link ServerConfig#allowedHosts()}). A page of
 * another site that posts work sends its Origin: only the server's own origin and
 * {@link ServerConfig#allowedOrigins()} are accepted. Requests without Origin (not sent by a
 * browser, or a same-origin GET) are judged by Host alone.
 */
final class HostCheck {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");

  private final Set<String> hosts = new HashSet<>();
  private final Set<String> origins = new HashSet<>();
  private final boolean anyHost;
  private final boolean anyOrigin;
  private final boolean anyAddress;

  HostCheck(ServerConfig config) {
    String bound = unbracket(config.host().toLowerCase(Locale.ROOT));
    hosts.add(bound);
    anyAddress = bound.equals("0.0.0.0") || bound.equals("::");
    if (anyAddress || Cam4jServer.isLoopback(bound)) {
      hosts.addAll(LOOPBACK_NAMES);
    }
    config.allowedHosts().forEach(h -> hosts.add(unbracket(h.toLowerCase(Locale.ROOT))));
    config.allowedOrigins().forEach(o -> origins.add(o.toLowerCase(Locale.ROOT)));
    anyHost = hosts.contains("*");
    anyOrigin = origins.contains("*");
  }

  /** 403 unless the request's Host (and Origin, when sent) is accepted. */
  void check(String hostHeader, String originHeader) {
    String host = hostName(hostHeader);
    if (host == null || !acceptsHost(host)) {
      throw ApiException.forbidden("this server does not answer to the host name '"
          + Text.clip(String.valueOf(hostHeader), 80) + "'; start it with --allowed-hosts to"
          + " accept it");
    }
    if (originHeader != null && !acceptsOrigin(originHeader, hostHeader)) {
      throw ApiException.forbidden("requests from pages of '" + Text.clip(originHeader, 80)
          + "' are not accepted; start the server with --allowed-origins to accept them");
    }
  }

  private boolean acceptsHost(String host) {
    return anyHost || hosts.contains(host) || (anyAddress && isIpLiteral(host));
  }

  /** Same origin (the page was served by this server under this Host), or allowed. */
  private boolean acceptsOrigin(String origin, String hostHeader) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (anyOrigin || origins.contains(o)) {
      return true;
    }
    try {
      URI uri = URI.create(o);
      return "http".equals(uri.getScheme()) && uri.getRawAuthority() != null
          && uri.getRawAuthority().equals(hostHeader.toLowerCase(Locale.ROOT))
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The host name of a Host header without its port, or null when there is none. */
  static String hostName(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return null;
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(1, end);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host;
  }

  /** An IPv4 or IPv6 literal (never a name: resolving one would be a DNS query). */
  private static boolean isIpLiteral(String host) {
    boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = host.contains(":") && host.matches("[0-9a-f:.]+");
    if (!v4 && !v6) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
