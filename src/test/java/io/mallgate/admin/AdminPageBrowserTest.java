package io.mallgate.admin;

import static io.mallgate.testsupport.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mallgate.sandbox.SimulatorSettings;
import io.mallgate.testsupport.GatewayFixture;
import io.mallgate.testsupport.RunningGateway;
import io.mallgate.testsupport.Slow;
import io.mallgate.testsupport.TestConfig;
import io.mallgate.token.TokenRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs; skipped where they are absent): sign in, read the mall table, show a mall's apps, force a
 * refresh, and save a screenshot to {@code target/admin-page.png}; open the sandbox's signed-in link
 * {@code /admin/#token=...}.
 */
@Timeout(60)
@Slow
class AdminPageBrowserTest {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @TempDir
  Path dir;

  private WebDriver browser(Path profile) {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER) // never Selenium Manager: no downloads here
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--window-size=1500,700", "--user-data-dir=" + profile);
    return new ChromeDriver(service, options);
  }

  private static WebElement cell(WebDriver driver, String mall, String column) {
    return driver.findElement(By.cssSelector("tr[data-mall='" + mall + "'] td[data-col='" + column + "']"));
  }

  private static void signIn(WebDriver driver, WebDriverWait wait, String page) {
    driver.get(page);
    driver.findElement(By.id("token")).sendKeys(TestConfig.ADMIN_TOKEN);
    driver.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-mall='shopgone']")));
  }

  /** Two malls, one healthy and called once, one marked: the values the API gives, written as text. */
  private static void assertTable(WebDriver driver) {
    assertEquals(2, driver.findElements(By.cssSelector("#malls tbody tr")).size());
    String access = cell(driver, "shopalive", "access_token").getText();
    assertTrue(access.matches("(?s)1h 5\\dm.*"), access);
    String refresh = cell(driver, "shopalive", "refresh_token").getText();
    assertTrue(refresh.startsWith("13d 23h"), refresh);
    assertEquals("no", cell(driver, "shopalive", "reauthorization").getText());
    assertEquals("never", cell(driver, "shopalive", "last_refresh").getText());
    assertTrue(cell(driver, "shopalive", "circuit").getText().startsWith("closed"));
    String rate = cell(driver, "shopalive", "rate").getText();
    assertTrue(rate.matches("(?s)\\d+\\.\\d / 40\n0 queued here · instance"), rate);
    assertTrue(cell(driver, "shopgone", "reauthorization").getText()
        .startsWith("required: app_deleted\nCafe24 reported the app deleted <b>here</b>"), "markup shown as text");
    assertEquals("needs-reauth", driver.findElement(By.cssSelector("tr[data-mall='shopgone']")).getAttribute("class"));
    assertTrue(cell(driver, "shopgone", "actions").findElement(By.linkText("Install link")).getAttribute("href")
        .endsWith("/oauth/install?mall_id=shopgone"));
    assertTrue(cell(driver, "shopgone", "actions").findElements(By.cssSelector("button.refresh")).isEmpty(),
        "a marked mall is never refreshed");
    assertNull(((JavascriptExecutor) driver).executeScript("return document.querySelector('script:not([src])')"));
  }

  /** The mall's apps over the last hour, under the table, as the API gives them: busiest first. */
  private static void assertApps(WebDriver driver, WebDriverWait wait) {
    assertTrue(driver.findElement(By.id("apps-view")).getAttribute("hidden") != null, "hidden until asked");
    cell(driver, "shopalive", "actions").findElement(By.cssSelector("button.apps")).click();
    wait.until(d -> d.findElements(By.cssSelector("#apps tbody tr[data-app]")).size() == 2);
    List<WebElement> rows = driver.findElements(By.cssSelector("#apps tbody tr[data-app]"));
    assertEquals("orders-sync", rows.get(0).getAttribute("data-app"));
    assertEquals("2", rows.get(0).findElement(By.cssSelector("td[data-col='calls']")).getText());
    assertEquals("2", rows.get(0).findElement(By.cssSelector("td[data-col='cafe24_calls']")).getText());
    assertEquals("0", rows.get(0).findElement(By.cssSelector("td[data-col='cafe24_throttled']")).getText());
    assertEquals("-", rows.get(1).getAttribute("data-app"));
    assertEquals("1", rows.get(1).findElement(By.cssSelector("td[data-col='calls']")).getText());
    assertEquals("Apps calling shopalive in the last hour", driver.findElement(By.id("apps-title")).getText());
    assertTrue(driver.findElement(By.id("apps-window")).getText().contains("this instance only"),
        driver.findElement(By.id("apps-window")).getText());
    assertEquals("selected", driver.findElement(By.cssSelector("tr[data-mall='shopalive']")).getAttribute("class"));
  }

  private static void assertTokenOnlyInSessionStorage(WebDriver driver) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    assertEquals(TestConfig.ADMIN_TOKEN, js.executeScript("return sessionStorage.getItem('mallgate.adminToken')"));
    assertEquals(0L, js.executeScript("return localStorage.length"));
    assertFalse(driver.getCurrentUrl().contains(TestConfig.ADMIN_TOKEN));
    assertTrue(((JavascriptExecutor) driver).executeScript("return document.cookie").toString().isEmpty());
  }

  @Test
  void should_show_every_mall_and_refresh_one_when_the_operator_signs_in() throws IOException {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "chromium and chromium-driver are not installed");
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("g")).set("rateLimit.enabled", true));
      fixture.install(gateway, "shopalive");
      fixture.install(gateway, "shopgone");
      result(gateway.gateway().tokens().markReauthorizationRequired("shopgone",
          new TokenRecord.Reauthorization("app_deleted", "Cafe24 reported the app deleted <b>here</b>", Instant.now())));
      assertEquals(200, fixture.get(gateway, "/malls/shopalive/api/v2/admin/products").statusCode());
      for (int i = 0; i < 2; i++) {
        assertEquals(200, result(fixture.client.get(gateway.port(), "127.0.0.1",
            "/malls/shopalive/api/v2/admin/products").putHeader("X-Mallgate-App", "orders-sync").send()).statusCode());
      }

      WebDriver driver = browser(dir.resolve("profile"));
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // The page redraws its table after each load: a cell found a moment ago may be gone; look again.
        wait.ignoring(StaleElementReferenceException.class);
        signIn(driver, wait, "http://127.0.0.1:" + gateway.port() + "/admin/");
        assertTable(driver);
        assertTokenOnlyInSessionStorage(driver);
        assertApps(driver, wait);
        String versionBefore = cell(driver, "shopalive", "version").getText();
        cell(driver, "shopalive", "actions").findElement(By.cssSelector("button.refresh")).click();
        wait.until(d -> cell(d, "shopalive", "last_refresh").getText().startsWith("refreshed"));
        assertEquals(1, fixture.simulator.refreshCount("shopalive"));
        String versionAfter = Long.toString(Long.parseLong(versionBefore) + 1);
        wait.until(d -> cell(d, "shopalive", "version").getText().equals(versionAfter)
            && d.findElement(By.id("status")).getText().startsWith("Refreshed shopalive."));
        Files.copy(((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target",
            "admin-page.png"), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        driver.quit();
      }
    }
  }

  @Test
  void should_sign_in_and_drop_the_fragment_from_the_address_when_opened_with_a_token_in_the_fragment() {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "chromium and chromium-driver are not installed");
    try (GatewayFixture fixture = GatewayFixture.start(SimulatorSettings.defaults())) {
      RunningGateway gateway = fixture.deploy(fixture.config("", dir.resolve("g")));
      fixture.install(gateway, "shopgone");
      fixture.install(gateway, "shopalive");
      WebDriver driver = browser(dir.resolve("profile"));
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        String page = "http://127.0.0.1:" + gateway.port() + "/admin/";
        long entries = (Long) ((JavascriptExecutor) driver).executeScript("return history.length");
        driver.get(page + "#token=" + TestConfig.ADMIN_TOKEN);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-mall='shopgone']")));

        assertTrue(driver.findElement(By.id("login")).getAttribute("hidden") != null, "the sign-in form is hidden");
        assertEquals(page, driver.getCurrentUrl(), "the fragment is gone from the address bar");
        assertTokenOnlyInSessionStorage(driver);
        // The page's own entry, replaced (not pushed): going back never shows the token in the address bar again.
        assertEquals(entries + 1, ((JavascriptExecutor) driver).executeScript("return history.length"));

        // The same link opened in a tab already on the page changes only the fragment: it signs in too.
        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        ((JavascriptExecutor) driver).executeScript("location.hash = arguments[0]", "token=" + TestConfig.ADMIN_TOKEN);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-mall='shopalive']")));
        assertEquals(page, driver.getCurrentUrl());
        assertTokenOnlyInSessionStorage(driver);
      } finally {
        driver.quit();
      }
    }
  }
}
