package io.userpipe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.sun.net.httpserver.HttpServer;
import io.userpipe.projections.Projections;
import io.userpipe.projections.console.ConsoleSessions;
import io.userpipe.runtime.config.AppConfig;
import io.userpipe.runtime.config.Secret;
import io.userpipe.runtime.http.PlatformDirectory;
import io.userpipe.runtime.testing.SharedKafka;
import io.userpipe.runtime.testing.SharedRegistry;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review console in a real browser (Debian's chromium, headless, driven by its chromedriver;
 * Selenium Manager never runs) against the real local stack, one pipeline for every case: signing
 * in, the queue with the evidence, clearing and confirming with a note (the officer on record is
 * the one signed in, in the API and on compliance.events), a conflicting second decision, a CSRF
 * attempt refused, an expired session sent back to sign-in; an axe-core scan of each page finds no
 * WCAG 2.1 AA violation. Under {@code CI=true} a missing browser fails the class; elsewhere it is
 * skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewConsoleTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String PLATFORM = "console-platform";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static AppConfig config;
  private static LocalPipeline pipeline;
  private static ApiClient api;
  private static TestOperators.Operator officer;
  private static TestOperators.Operator otherOfficer;
  private static WebDriver browser;
  private static String cleared;
  private static String confirmed;
  private static String contested;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String why =
          "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + "; under CI=true the browser tests never skip");
      }
      Assumptions.abort(why);
    }
    AppConfig base = SharedKafka.config();
    config =
        TestPipelines.withLocalDefaults(
            base.with(AppConfig.SCHEMA_REGISTRY_URL, SharedRegistry.url())
                .with(AppConfig.HTTP_PORT, "0")
                .with(Projections.OFAC_FIRST_VERDICT_WAIT, "PT10S")
                .with(Projections.PLATFORMS, PlatformDirectory.entry(PLATFORM, "console", "key")),
            base.stateDir());
    pipeline = TestPipelines.startOnSharedBroker(config);
    api = new ApiClient(pipeline.baseUrl(), "console", "key");
    officer = TestOperators.add(config, pipeline.baseUrl(), "officer");
    otherOfficer = TestOperators.add(config, pipeline.baseUrl(), "other-officer");
    cleared = listedUserInReview();
    confirmed = listedUserInReview();
    contested = listedUserInReview();
    browser = chromium();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** Headless chromium through the Debian chromedriver; nothing is looked up or downloaded. */
  private static WebDriver chromium() {
    // Both paths given, Selenium never starts Selenium Manager; were it started, SE_ system
    // properties reach it, and offline it downloads nothing.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .build();
    var driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    return driver;
  }

  /** A person whose name is on the SDN list, verified by the platform: in review. */
  private static String listedUserInReview() {
    String id = api.createUser("Nicolas", "Maduro Moros", "1962-11-23");
    var verified =
        api.post(
            "/v2/users/" + id + "/id-verification",
            "{\"provider\":\"acme-kyc\",\"reference\":\"k-" + id + "\"}");
    assertEquals(200, verified.status(), verified.raw().body());
    assertEquals(
        "in_review",
        verified.json().path("compliance").path("flags").path("ofac_status").asText(),
        verified.raw().body());
    return id;
  }

  private static String url(String path) {
    return pipeline.baseUrl() + path;
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, WAIT);
  }

  @Test
  @Order(1)
  void anOfficerSignsInAndSeesAScreenedUserInTheQueueWithTheEvidence() throws Exception {
    browser.get(url("/console/queue"));
    waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
    scanAccessibility("sign-in");
    signIn(officer);
    waiting().until(ExpectedConditions.urlContains("/console/queue"));
    assertTrue(browser.getPageSource().contains(officer.id()), "the page names who is signed in");

    // The queue, filtered to this class's platform, oldest first: the first user waits longest.
    openQueueUntilItLists(cleared);
    List<String> order =
        browser.findElements(By.cssSelector("table.queue tbody tr[data-user]")).stream()
            .map(tr -> tr.getAttribute("data-user"))
            .toList();
    assertEquals(List.of(cleared, confirmed, contested), order, "oldest first");
    WebElement row = browser.findElement(By.cssSelector("tr[data-user='" + cleared + "']"));
    assertTrue(row.getText().contains("in review"), row.getText());
    assertTrue(row.getText().contains("MADURO MOROS"), row.getText());
    assertTrue(row.getText().matches("(?s).*\\d+ (s|min).*"), "shows the wait: " + row.getText());
    scanAccessibility("queue");
    screenshot("console-queue.png");

    row.findElement(By.linkText(cleared)).click();
    waiting().until(ExpectedConditions.urlContains("/console/users/"));
    String page = browser.getPageSource();
    assertTrue(browser.findElement(By.tagName("h1")).getText().contains(cleared));
    List<WebElement> marks = browser.findElements(By.cssSelector("table.entry mark"));
    assertTrue(marks.size() >= 2, "the matching tokens are highlighted: " + page);
    assertTrue(page.contains("VENEZUELA"), "the entry's programs"); // Maduro's program
    assertTrue(page.contains("1962-11-23"), "the user's date of birth");
    String entry = browser.findElement(By.cssSelector("table.entry")).getText();
    assertTrue(entry.contains("1962"), "the entry's dates of birth: " + entry);
    assertTrue(entry.contains("Venezuela"), "the entry's countries: " + entry);
    String profile = browser.findElement(By.cssSelector("dl.profile")).getText();
    assertTrue(
        profile.contains("k-" + cleared + " at acme-kyc"), "the ID verification: " + profile);
    assertTrue(
        browser.findElement(By.cssSelector("table.history")).getText().contains("in_review"));
    assertTrue(page.contains("not collected"), "a TIN shows as its last four at most");
    scanAccessibility("case");
    screenshot("console-case.png");
  }

  @Test
  @Order(2)
  void clearingWithANoteUnflagsTheUserWithThatOfficerAsActor() throws Exception {
    openCase(cleared);
    decide("clear", "");
    // the note is required: the browser will not send the form without it
    assertTrue(
        browser.getCurrentUrl().endsWith("/console/users/" + cleared), browser.getCurrentUrl());
    decide("clear", "Date of birth and nationality differ from the listed entry.");
    WebElement decided =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("decided")));
    assertTrue(decided.getText().contains("cleared by " + officer.id()), decided.getText());

    var user = api.get("/v2/users/" + cleared);
    assertEquals(
        "unflagged",
        user.json().path("compliance").path("flags").path("ofac_status").asText(),
        user.raw().body());
    Map<String, String> evidence = TopicDump.awaitComplianceEvidence(config, cleared, "unflagged");
    assertEquals(officer.id(), evidence.get("reviewer"), evidence.toString());
  }

  @Test
  @Order(3)
  void aCsrfAttemptIsRefused() throws Exception {
    openCase(confirmed);
    long version =
        Long.parseLong(browser.findElement(By.name("screening_version")).getAttribute("value"));
    // A page on another origin that posts a decision into the officer's session.
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String form =
        """
        <!DOCTYPE html><html lang="en"><body><form id="f" method="post" action="%s">
        <input name="decision" value="clear"><input name="note" value="forged">
        <input name="screening_version" value="%d"><input name="form_id" value="forged1">
        </form><script>document.getElementById('f').submit()</script></body></html>"""
            .formatted(url("/console/users/" + confirmed + "/decision"), version);
    attacker.createContext(
        "/",
        exchange -> {
          byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    attacker.start();
    try {
      browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
      waiting().until(ExpectedConditions.urlContains("/decision"));
      waiting()
          .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Refused"));
    } finally {
      attacker.stop(0);
    }
    // The same forgery with the session's own cookie but without the token, from no browser.
    Cookie session = null;
    openCase(confirmed);
    session = browser.manage().getCookieNamed("userpipe_console");
    assertTrue(session != null && session.isHttpOnly(), "an HttpOnly session cookie");
    assertEquals("Strict", session.getSameSite());
    assertEquals("/console", session.getPath());
    var followed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url("/console/users/" + confirmed + "/status")))
                    .header("Cookie", "userpipe_console=" + session.getValue())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, followed.statusCode(), followed.body());
    assertTrue(followed.body().contains("\"ofac_status\":\"in_review\""), followed.body());
    var answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url("/console/users/" + confirmed + "/decision")))
                    .header("Cookie", "userpipe_console=" + session.getValue())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "decision=clear&note=forged&form_id=forged2&csrf=wrong&screening_version="
                                + version))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(403, answer.statusCode(), answer.body());
    var user = api.get("/v2/users/" + confirmed);
    assertEquals(
        "in_review",
        user.json().path("compliance").path("flags").path("ofac_status").asText(),
        user.raw().body());
  }

  @Test
  @Order(4)
  void confirmingAnotherUserFlagsThemWithTheKeyboardAlone() throws Exception {
    openCase(confirmed);
    // Space chooses the outcome, Tab moves to the note and on to the button, Enter sends.
    browser.findElement(By.id("decision-confirm")).sendKeys(Keys.SPACE);
    assertTrue(browser.findElement(By.id("decision-confirm")).isSelected());
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("note", browser.switchTo().activeElement().getAttribute("id"));
    browser
        .switchTo()
        .activeElement()
        .sendKeys("Same person as the listed entry: name, date of birth and country agree.");
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("Record decision", browser.switchTo().activeElement().getText());
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    WebElement decided =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("decided")));
    assertTrue(decided.getText().contains("confirmed by " + officer.id()), decided.getText());
    var user = api.get("/v2/users/" + confirmed);
    assertEquals(
        "flagged",
        user.json().path("compliance").path("flags").path("ofac_status").asText(),
        user.raw().body());
    assertEquals(
        officer.id(),
        TopicDump.awaitComplianceEvidence(config, confirmed, "flagged").get("reviewer"));
  }

  @Test
  @Order(5)
  void aDecisionShowsOnceItsEventIsFoldedAndASecondOneOnTheSameVersionIsAConflict()
      throws Exception {
    openCase(contested);
    String form = browser.getWindowHandle();
    long version =
        Long.parseLong(browser.findElement(By.name("screening_version")).getAttribute("value"));
    // A second tab watches the case as after sending a decision about this version: it says it
    // waits for the event, and shows the decision once the event is in the views.
    browser.switchTo().newWindow(WindowType.TAB);
    browser.get(url("/console/users/" + contested + "?sent=" + version));
    assertTrue(
        browser.findElement(By.id("decision-status")).getText().contains("Waiting for its event"));
    assertTrue(browser.findElements(By.id("decided")).isEmpty());
    // Another officer decides the same version first, through the operators' API.
    var first =
        otherOfficer
            .client()
            .post(
                "/admin/users/" + contested + "/ofac-review",
                "{\"decision\":\"clear\",\"note\":\"first\",\"screening_version\":"
                    + version
                    + "}");
    assertEquals(200, first.status(), first.raw().body());
    WebElement shown =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("decided")));
    assertTrue(shown.getText().contains("cleared by " + otherOfficer.id()), shown.getText());
    browser.close();
    browser.switchTo().window(form);
    decide("confirm", "A second look, on the page opened before the first decision.");
    WebElement notice =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".notice")));
    assertTrue(notice.getText().contains("the case changed"), notice.getText());
    var user = api.get("/v2/users/" + contested);
    assertEquals(
        "unflagged", user.json().path("compliance").path("flags").path("ofac_status").asText());
  }

  @Test
  @Order(6)
  void anExpiredSessionIsSentBackToSignIn() {
    var sessions =
        new ConsoleSessions(
            ConsoleSessions.deriveKey(Secret.INTERNAL_TOKEN.require(config)),
            Duration.ofMinutes(1));
    var old = Instant.now().minus(Duration.ofHours(1));
    String expired = sessions.seal(sessions.open(officer.id(), old, old));
    browser.get(url("/console/sign-in"));
    browser.manage().deleteAllCookies();
    browser.manage().addCookie(new Cookie("userpipe_console", expired, "/console"));
    browser.get(url("/console/queue"));
    waiting().until(ExpectedConditions.urlContains("/console/sign-in?expired=1"));
    assertTrue(
        browser
            .findElement(By.cssSelector("[role=alert]"))
            .getText()
            .contains("session has ended"));
    // and a tampered one likewise
    browser
        .manage()
        .addCookie(new Cookie("userpipe_console", expired.replace('.', 'x') + ".AAAA", "/console"));
    browser.get(url("/console/users/" + cleared));
    waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
  }

  /** Signs in with the keyboard: the id, Tab, the secret, Enter. */
  private static void signIn(TestOperators.Operator who) {
    browser.findElement(By.id("operator_id")).sendKeys(who.id(), Keys.TAB);
    assertEquals("secret", browser.switchTo().activeElement().getAttribute("id"));
    browser.switchTo().activeElement().sendKeys(who.secret(), Keys.ENTER);
  }

  private static void openQueueUntilItLists(String userId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      browser.get(url("/console/queue?status=in_review&platform=" + PLATFORM));
      if (!browser.findElements(By.cssSelector("tr[data-user='" + userId + "']")).isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(userId + " not in the queue: " + browser.getPageSource());
      }
      Thread.sleep(300);
    }
  }

  private static void openCase(String userId) {
    browser.get(url("/console/users/" + userId));
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), userId));
  }

  /** Chooses the outcome with the keyboard-reachable radio, types the note, sends the form. */
  private static void decide(String decision, String note) {
    browser.findElement(By.id("decision-" + decision)).click();
    WebElement field = browser.findElement(By.id("note"));
    field.clear();
    field.sendKeys(note);
    browser.findElement(By.cssSelector("form.decide button[type=submit]")).click();
  }

  /** axe-core on the page as it is: no WCAG 2.0/2.1 A or AA violation. */
  private static void scanAccessibility(String page) {
    Results results =
        new AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(browser);
    List<Rule> violations = results.getViolations();
    assertTrue(
        violations.isEmpty(),
        page
            + ": "
            + violations.stream()
                .map(
                    v ->
                        v.getId()
                            + " ("
                            + v.getImpact()
                            + "): "
                            + v.getHelp()
                            + " at "
                            + v.getNodes().stream()
                                .map(n -> String.valueOf(n.getTarget()))
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ")));
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }
}
