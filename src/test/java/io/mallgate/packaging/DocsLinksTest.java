package io.mallgate.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manual is README.md plus docs/*.md, linked to each other and to files of the repository: every relative link
 * must reach an existing file and, when it names a heading of a Markdown file ({@code tokens.md#how-tokens-stay-fresh}),
 * an existing heading. Files outside the manual that name a page of it ({@code see docs/webhooks.md}) must name one
 * that exists. Links to other sites are not followed.
 */
class DocsLinksTest {

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern DOCS_PAGE = Pattern.compile("docs/[A-Za-z0-9_-]+\\.md");

  @Test
  void should_reach_an_existing_file_and_heading_when_following_each_relative_link_of_the_manual() {
    List<String> broken = new ArrayList<>();
    List<Path> pages = manual();
    int links = 0;
    for (Path page : pages) {
      for (String target : links(page)) {
        links++;
        String problem = check(page, target);
        if (problem != null) {
          broken.add(page + ": " + target + " (" + problem + ")");
        }
      }
    }
    assertTrue(pages.size() >= 8 && links >= 30, pages.size() + " pages, " + links + " relative links: too few to trust");
    assertEquals(List.of(), broken);
  }

  @Test
  void should_name_existing_pages_when_conf_docker_or_the_code_mention_the_manual() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path file : mentioning()) {
      Matcher page = DOCS_PAGE.matcher(Files.readString(file));
      while (page.find()) {
        if (!Files.isRegularFile(Path.of(page.group()))) {
          missing.add(file + ": " + page.group());
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void should_compute_github_heading_anchors_when_headings_hold_code_links_and_punctuation() {
    Set<String> anchors = anchors(List.of("# Routes, admin API and admin page", "## `proxy.totalTimeout` cuts",
        "## Without Redis (embedded mode)", "## Staying inside Cafe24's limits", "## Same", "## Same",
        "```", "# not a heading inside code", "```"));
    assertEquals(Set.of("routes-admin-api-and-admin-page", "proxytotaltimeout-cuts", "without-redis-embedded-mode",
        "staying-inside-cafe24s-limits", "same", "same-1"), anchors);
  }

  /** README.md and every docs/*.md. */
  private static List<Path> manual() {
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
      return pages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Relative link targets of a Markdown file, outside fenced code and code spans. */
  private static List<String> links(Path page) {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : lines(page)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
        while (link.find()) {
          if (!SCHEME.matcher(link.group(1)).find()) {
            targets.add(link.group(1));
          }
        }
      }
    }
    return targets;
  }

  /** Null when {@code target}, written in {@code page}, resolves; else what is wrong. */
  private static String check(Path page, String target) {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
    if (!Files.exists(resolved)) {
      return "no such file: " + resolved;
    }
    if (hash < 0 || !resolved.toString().endsWith(".md")) {
      return null;
    }
    String anchor = target.substring(hash + 1);
    return anchors(lines(resolved)).contains(anchor) ? null : "no heading #" + anchor + " in " + resolved;
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.matches("#{1,6} .*")) {
        String slug = slug(line.replaceFirst("^#+ ", ""));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return anchors;
  }

  /** GitHub's rule: link text kept, lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
  private static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
  }

  /** conf/, docker/ and src/main text files, which may point a reader to a page of the manual. */
  private static List<Path> mentioning() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String root : List.of("conf", "docker", "src/main")) {
      try (Stream<Path> walk = Files.walk(Path.of(root))) {
        walk.filter(Files::isRegularFile)
            .filter(p -> p.toString().matches(".*\\.(java|yaml|yml|xml|md|html|js|css|conf|example|txt)$")
                || p.getFileName().toString().startsWith("Dockerfile"))
            .forEach(files::add);
      }
    }
    return files;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
