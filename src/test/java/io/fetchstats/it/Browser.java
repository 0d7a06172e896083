package io.fetchstats.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through WebDriver, for the tests of the web page: register it as a
 * static {@code @RegisterExtension} field. It runs Debian's {@code chromium} and {@code
 * chromedriver}, both named by path, so that Selenium Manager never looks for (or downloads) a
 * driver or a browser: this works offline. Where they are missing, the test class is skipped.
 *
 * <p>One browser serves the class that registers it and its {@code @Nested} classes. Before each
 * test the window gets the desktop size again; when a test fails, the page as it was is saved as
 * {@code target/screenshots/CLASS-METHOD-failed.png}, for CI.
 */
public final class Browser
    implements ExecutionCondition,
        BeforeAllCallback,
        BeforeEachCallback,
        AfterTestExecutionCallback,
        AfterAllCallback {
  /** Where {@link #screenshot} writes: the build's own directory, never the sources. */
  public static final Path SCREENSHOTS = baseDir().resolve("target").resolve("screenshots");

  public static final Dimension DESKTOP = new Dimension(1280, 1000);

  /** How long a wait for the page lasts at most, unless a test says otherwise. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  static final String MISSING =
      "no chromium and chromium-driver here: apt-get install chromium chromium-driver to run the"
          + " browser tests";

  private ChromeDriverService service;
  private ChromeDriver driver;
  private String owner; // the unique id of the class that started the browser

  /**
   * Skips the class, as {@code @Testcontainers(disabledWithoutDocker = true)} does, where there is
   * no browser: the reports then name it skipped, with the reason.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return chromium().isPresent() && chromedriver().isPresent()
        ? ConditionEvaluationResult.enabled("chromium and chromedriver are installed")
        : ConditionEvaluationResult.disabled(MISSING);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (driver != null) {
      return; // a @Nested class: the enclosing class's browser serves it
    }
    Optional<Path> chromium = chromium();
    Optional<Path> chromedriver = chromedriver();
    Assumptions.assumeTrue(chromium.isPresent() && chromedriver.isPresent(), MISSING);

    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.get().toFile())
            .usingAnyFreePort()
            .withLogOutput(OutputStream.nullOutputStream())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    // The console, for javascriptErrors().
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--lang=en-US",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        "--metrics-recording-only");
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
    owner = context.getUniqueId();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    resize(DESKTOP.width, DESKTOP.height);
    javascriptErrors(); // what an earlier test left in the console is not this test's
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent() && driver != null) {
      String name =
          context.getRequiredTestClass().getSimpleName()
              + "-"
              + context.getRequiredTestMethod().getName()
              + "-failed";
      try {
        System.err.println("The page when the test failed: " + screenshot(name));
        System.err.println("at " + driver.getCurrentUrl());
      } catch (RuntimeException e) {
        // The browser may be what failed: the test's own error says more than this one.
        context.getExecutionException().get().addSuppressed(e);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver == null || !context.getUniqueId().equals(owner)) {
      return;
    }
    try {
      driver.quit();
    } finally {
      driver = null;
      service.stop();
    }
  }

  public WebDriver driver() {
    return driver;
  }

  /** Loads {@code url} (a hash alone changing is routed by the page, as a link click is). */
  public void open(String url) {
    driver.get(url);
  }

  /** Waits up to {@link #WAIT} for {@code condition}; its last value. */
  public <T> T until(ExpectedCondition<T> condition) {
    return until(WAIT, condition);
  }

  public <T> T until(Duration timeout, ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(condition);
  }

  /** Runs {@code script} in the page; {@code arguments[i]} are the arguments. */
  public Object script(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(script, arguments);
  }

  /**
   * The errors in the page's console since the last call: uncaught exceptions and {@code
   * console.error}. Failed requests are left out: the page expects some (a just-submitted job is
   * 404 for a moment, a server with a token answers 401), and shows them itself.
   */
  public List<String> javascriptErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("Failed to load resource"))
        .toList();
  }

  /**
   * Sets the window's size. The page gets its whole width; headless Chromium keeps about 140 pixels
   * of the height for a toolbar it does not draw, so the viewport (and a screenshot) is that lower.
   */
  public void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Saves the viewport as {@code target/screenshots/NAME.png}; its path. */
  public Path screenshot(String name) {
    return screenshot(SCREENSHOTS.resolve(name + ".png"));
  }

  /** Saves the viewport as PNG at {@code file}; its path. */
  public Path screenshot(Path file) {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + file, e);
    }
    return file;
  }

  /** The project's directory: Surefire and Failsafe name it {@code basedir}. */
  public static Path baseDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /** {@code $CHROME_BIN}, else Debian's chromium. */
  static Optional<Path> chromium() {
    return find("CHROME_BIN", "/usr/bin/chromium", "/usr/bin/chromium-browser");
  }

  /** {@code $CHROMEDRIVER}, else Debian's chromedriver (package chromium-driver). */
  static Optional<Path> chromedriver() {
    return find("CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  }

  /** The program named by the environment variable {@code variable}, else the first path found. */
  private static Optional<Path> find(String variable, String... paths) {
    String named = System.getenv(variable);
    return Stream.concat(Stream.ofNullable(named).filter(p -> !p.isBlank()), Stream.of(paths))
        .map(Path::of)
        .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
        .findFirst();
  }
}
