package io.mallgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Cafe24's base URL with a {@code {mall}} placeholder, in the host ({@code https://{mall}.cafe24api.com}) or in the
 * path ({@code http://127.0.0.1:9000/{mall}}, as the sandbox uses). Every Cafe24 URL derives from it:
 * {@code {base}/api/v2/oauth/authorize}, {@code {base}/api/v2/oauth/token}, {@code {base}/api/**}.
 *
 * <p>The mall id substituted in must already be valid (see {@code proxy.MallId}): it is a DNS label and needs no
 * escaping. Immutable and thread-safe.
 */
public final class BaseUrl {

  public static final String PLACEHOLDER = "{mall}";

  private final String template;
  private final boolean ssl;
  private final String hostTemplate;
  private final int port;
  private final String pathTemplate;
  /** The templates split around the placeholder once: the proxy asks for a mall's host and path on every call. */
  private final Split host;
  private final Split path;

  private BaseUrl(String template, boolean ssl, String hostTemplate, int port, String pathTemplate) {
    this.template = template;
    this.ssl = ssl;
    this.hostTemplate = hostTemplate;
    this.port = port;
    this.pathTemplate = pathTemplate;
    this.host = Split.of(hostTemplate);
    this.path = Split.of(pathTemplate);
  }

  /**
   * Parses and checks a template.
   *
   * @throws IllegalArgumentException with a message fit for an operator when it is malformed
   */
  public static BaseUrl parse(String template) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (!template.contains(PLACEHOLDER)) {
      throw new IllegalArgumentException("must contain " + PLACEHOLDER + " in the host or the path");
    }
    String probe = template.replace(PLACEHOLDER, "mallprobe");
    URI uri;
    try {
      uri = new URI(probe);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("must start with https:// (or http:// with allowInsecure)");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must be scheme://host[:port][/path], without user, query or fragment");
    }
    String authority = uri.getRawAuthority();
    int at = template.indexOf("://") + 3;
    int slash = template.indexOf('/', at);
    String hostPort = slash < 0 ? template.substring(at) : template.substring(at, slash);
    String host = hostPort.startsWith("[") ? hostPort.substring(0, hostPort.indexOf(']') + 1)
        : hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
    String path = slash < 0 ? "" : template.substring(slash);
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.contains("?") || path.contains("#") || authority == null) {
      throw new IllegalArgumentException("must be scheme://host[:port][/path], without user, query or fragment");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    return new BaseUrl(template, ssl, host.toLowerCase(Locale.ROOT), port, path);
  }

  public boolean ssl() {
    return ssl;
  }

  public int port() {
    return port;
  }

  /** Host to connect to for a mall (also the {@code Host} header, with the port when it is not the default). */
  public String host(String mall) {
    return host.with(mall);
  }

  /** {@code Host} header value: the host, with {@code :port} when the port is not the scheme's default. */
  public String authority(String mall) {
    boolean defaultPort = ssl ? port == 443 : port == 80;
    return defaultPort ? host(mall) : host(mall) + ":" + port;
  }

  /** Path prefix in front of {@code /api/...} for a mall: empty when the mall stands in the host. */
  public String pathPrefix(String mall) {
    return path.with(mall);
  }

  /** Absolute URL for a mall and a path that starts with {@code /}. */
  public String url(String mall, String path) {
    return (ssl ? "https://" : "http://") + authority(mall) + pathPrefix(mall) + path;
  }

  /**
   * A template as the text before its first placeholder and the rest with every placeholder replaced: one
   * concatenation per mall instead of a search and replace. Without a placeholder, the template itself.
   */
  private record Split(String before, String after, boolean placeholder, boolean again) {

    static Split of(String template) {
      int at = template.indexOf(PLACEHOLDER);
      if (at < 0) {
        return new Split(template, "", false, false);
      }
      String after = template.substring(at + PLACEHOLDER.length());
      return new Split(template.substring(0, at), after, true, after.contains(PLACEHOLDER));
    }

    String with(String mall) {
      return !placeholder ? before : before + mall + (again ? after.replace(PLACEHOLDER, mall) : after);
    }
  }

  /** Equal when the templates are: the template determines every other field. */
  @Override
  public boolean equals(Object other) {
    return other instanceof BaseUrl b && template.equals(b.template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }

  @Override
  public String toString() {
    return template;
  }
}
