package io.fetchstats.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlContains;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.HttpSettings;
import io.fetchstats.it.Browser;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web page in a real browser (headless Chromium through WebDriver), against a whole pipeline on
 * the shared broker and a sample server on loopback: a person's clicks, and what the page shows
 * checked against the JSON API. Skipped where chromium and chromedriver are not installed ({@link
 * Browser}).
 *
 * <p>Screenshots go to {@code target/screenshots/}. With {@code -Dfetchstats.updateScreenshot=true}
 * the complete job's page is also written to {@code docs/screenshot.png}, the picture in the docs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class BrowserIT {
  // First: where there is no browser the class is skipped before a broker or pipeline starts.
  @RegisterExtension
  @Order(1)
  static final Browser BROWSER = new Browser();

  @RegisterExtension
  @Order(2)
  static final SharedBroker BROKER = new SharedBroker();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPDATE_SCREENSHOT = "fetchstats.updateScreenshot";
  private static final String TOKEN = "s3cret";

  // Two CSV files of made-up request logs: known numbers, and histograms with a shape.
  private static final String HEADER = "latency_ms,size_kb,score\n";
  private final List<Long> latencies = new ArrayList<>();
  private final Map<String, SampleServer.Resource> bodies = new HashMap<>();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private SampleServer samples;
  private Pipeline pipeline;
  private String api;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    bodies.put("/logs/day-1.csv", csv(logs(1, 240)));
    bodies.put("/logs/day-2.csv", csv(logs(2, 160)));
    bodies.put("/small.csv", csv("x,y\n1,2\n3,4\n"));
    samples = SampleServer.start(bodies);
    pipeline = startPipeline("browser", dataDir, http -> http.withPort(0));
    api = "http://" + pipeline.httpAddress().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).until(() -> get(api, "/health").statusCode() == 200);
  }

  @AfterEach
  void noJavascriptErrors() {
    assertThat(BROWSER.javascriptErrors()).as("errors in the page's console").isEmpty();
  }

  @AfterAll
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (samples != null) {
      samples.close();
    }
  }

  /** A pipeline of every stage and the HTTP server, on topics of its own. */
  private Pipeline startPipeline(String name, Path dataDir, UnaryOperator<HttpSettings> http) {
    String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return Pipeline.start(
        FetchStatsConfig.builder()
            .kafka(kafka -> kafka.bootstrapServers(BROKER.bootstrapServers()).topicPrefix(prefix))
            .dataDir(dataDir)
            // Two fetches at a time: a job of slow URLs runs long enough to be cancelled.
            .fetch(fetch -> fetch.allowPrivateNetworks(true).threads(2))
            .instanceId(name + "-test")
            .http(http)
            .build(),
        EnumSet.allOf(Pipeline.Stage.class),
        true);
  }

  /** {@code rows} lines of latency (whole ms), size and score, the same for the same seed. */
  private String logs(int seed, int rows) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder(HEADER);
    for (int i = 0; i < rows; i++) {
      long latency = Math.round(15 + Math.exp(3.5 + 0.45 * random.nextGaussian()));
      latencies.add(latency);
      csv.append(latency)
          .append(',')
          .append(1 + random.nextInt(900))
          .append(',')
          .append(random.nextInt(1000) / 1000.0)
          .append('\n');
    }
    return csv.toString();
  }

  @Test
  void aUrlListPastedIntoTheFormBecomesAJobWhosePageShowsTheApisNumbers() throws IOException {
    BROWSER.open(api + "/");
    WebElement urls = BROWSER.until(visibilityOfElementLocated(By.id("submit-urls")));
    urls.sendKeys(
        "# two days of logs\n"
            + samples.baseUrl()
            + "/logs/day-1.csv\n"
            + samples.baseUrl()
            + "/logs/day-2.csv\n");
    BROWSER.driver().findElement(By.id("submit-button")).click();

    BROWSER.until(urlContains("#/jobs/"));
    String jobId = jobIdInUrl();
    assertThat(BROWSER.driver().findElement(By.id("job-title")).getText()).isEqualTo(jobId);
    BROWSER.until(textToBe(By.id("job-state"), "complete"));
    BROWSER.screenshot("job-complete");
    if (Boolean.getBoolean(UPDATE_SCREENSHOT)) {
      BROWSER.resize(1280, 1400);
      System.err.println(
          "Wrote "
              + BROWSER.screenshot(Browser.baseDir().resolve("docs").resolve("screenshot.png")));
      BROWSER.resize(Browser.DESKTOP.width, Browser.DESKTOP.height);
    }

    JsonNode job = json(get(api, "/jobs/" + jobId));
    assertThat(job.get("complete").asBoolean()).isTrue();
    assertThat(job.get("urlsSucceeded").asInt()).isEqualTo(2);
    JsonNode latency = field(job, "latency_ms");
    assertThat(latency.get("count").asLong()).isEqualTo(latencies.size());
    assertThat(latency.get("min").asDouble())
        .isEqualTo((double) latencies.stream().mapToLong(Long::longValue).min().orElseThrow());
    assertThat(latency.get("max").asDouble())
        .isEqualTo((double) latencies.stream().mapToLong(Long::longValue).max().orElseThrow());

    // The page shows the JSON's own numbers: the exact value is in data-value.
    WebElement row =
        BROWSER
            .driver()
            .findElement(By.cssSelector("#fields-table tr[data-field-name='latency_ms']"));
    assertThat(cellValue(row, "count")).isEqualTo(String.valueOf(latencies.size()));
    assertThat(Double.parseDouble(cellValue(row, "mean")))
        .isEqualTo(latency.get("mean").asDouble())
        .isCloseTo(
            latencies.stream().mapToLong(Long::longValue).average().orElseThrow(),
            org.assertj.core.data.Offset.offset(1e-9));
    for (String statistic : List.of("min", "max", "p50", "stddevSample")) {
      assertThat(Double.parseDouble(cellValue(row, statistic)))
          .as(statistic)
          .isEqualTo(latency.get(statistic).asDouble());
    }
    assertThat(row.findElement(By.cssSelector("td[data-field='mean']")).getText()).isNotBlank();

    // One bar per bin of the histogram, for each field.
    List<String> names = new ArrayList<>();
    job.get("fields").forEach(f -> names.add(f.get("name").asText()));
    assertThat(names).containsExactly("latency_ms", "score", "size_kb");
    for (String name : names) {
      List<WebElement> bars =
          BROWSER
              .driver()
              .findElements(
                  By.cssSelector("#histograms svg[data-field-name='" + name + "'] rect.bar"));
      assertThat(bars)
          .as("bars of " + name)
          .hasSize(field(job, name).get("histogram").get("counts").size())
          .isNotEmpty();
    }

    // Back to the list, which shows the job.
    BROWSER.driver().findElement(By.cssSelector(".back a")).click();
    WebElement listed =
        BROWSER.until(
            presenceOfElementLocated(
                By.cssSelector("#jobs-table tr[data-job-id='" + jobId + "']")));
    assertThat(listed.findElement(By.cssSelector(".badge")).getText()).isEqualTo("complete");
    assertThat(listed.getText()).contains("2/2");
    BROWSER.screenshot("jobs-list");
  }

  @Test
  void cancelOnAJobPageEndsItsUrlsNotFetchedAsCancelled() throws IOException {
    // 40 URLs answering after 3 s each, two at a time: a minute unless cancelled.
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      list.append(samples.baseUrl())
          .append("/gen/text?bytes=2000&latency=3000&seed=")
          .append(i)
          .append('\n');
    }
    String jobId = submit(list.toString());

    BROWSER.open(api + "/#/jobs/" + jobId);
    BROWSER.until(textToBe(By.id("job-state"), "running"));
    BROWSER.until(elementToBeClickable(By.id("cancel-button"))).click();
    BROWSER.until(textToBe(By.id("job-state"), "cancelled"));

    // Cancelled at once; complete once the URLs in flight have ended too.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> json(get(api, "/jobs/" + jobId)).get("complete").asBoolean());
    JsonNode job = json(get(api, "/jobs/" + jobId));
    assertThat(job.get("state").asText()).isEqualTo("cancelled");
    assertThat(job.get("urlsCancelled").asInt()).isPositive();
    assertThat(job.get("cancelledAt").isNull()).isFalse();
    assertThat(job.get("cancelledAt").asText()).isNotBlank();

    // The page's last poll shows the job as final: every URL ended, the cancelled ones listed.
    BROWSER.until(textToBe(By.id("job-counts"), "40 of 40 URLs"));
    BROWSER.until(textToBePresentInElementLocated(By.id("failures-table"), "CANCELLED"));
    assertThat(BROWSER.driver().findElement(By.id("job-state")).getText()).isEqualTo("cancelled");
    assertThat(BROWSER.driver().findElement(By.id("cancel-button")).isDisplayed()).isFalse();
    assertThat(BROWSER.driver().findElement(By.id("status")).getText()).isEmpty();
    assertThat(BROWSER.driver().findElement(By.id("job-stats")).getText())
        .containsIgnoringCase("Cancelled at"); // the terms are in capitals (text-transform)
    BROWSER.screenshot("job-cancelled");
  }

  @Test
  void retryOnAJobWithFailedUrlsStartsANewJobOfThoseUrls() throws IOException {
    String jobId =
        submit(
            samples.baseUrl()
                + "/small.csv\n"
                + samples.baseUrl()
                + "/missing-1.csv\n"
                + samples.baseUrl()
                + "/missing-2.csv\n");

    BROWSER.open(api + "/#/jobs/" + jobId);
    BROWSER.until(textToBe(By.id("job-state"), "complete"));
    BROWSER.until(textToBePresentInElementLocated(By.id("failures-table"), "missing-2.csv"));
    JsonNode first = json(get(api, "/jobs/" + jobId));
    assertThat(first.get("urlsFailed").asInt()).isEqualTo(2);

    BROWSER.until(elementToBeClickable(By.id("retry-button"))).click();
    String retryId =
        BROWSER.until(
            driver -> {
              String shown = jobIdInUrl();
              return shown != null && !shown.equals(jobId) ? shown : null;
            });
    BROWSER.until(textToBePresentInElementLocated(By.id("job-retry-of"), jobId));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> response = get(api, "/jobs/" + retryId);
              return response.statusCode() == 200 && !json(response).get("urlsExpected").isNull();
            });
    JsonNode retry = json(get(api, "/jobs/" + retryId));
    assertThat(retry.get("retryOf").asText()).isEqualTo(jobId);
    assertThat(retry.get("urlsExpected").asInt()).isEqualTo(first.get("urlsFailed").asInt());
  }

  @Test
  void onAPhoneTheFieldsTableScrollsInsideItsCardAndNotThePage() throws IOException {
    String jobId = submit(samples.baseUrl() + "/logs/day-2.csv\n");
    BROWSER.resize(390, 844);
    BROWSER.open(api + "/#/jobs/" + jobId);
    BROWSER.until(textToBe(By.id("job-state"), "complete"));
    BROWSER.until(presenceOfElementLocated(By.cssSelector("#fields-table tr[data-field-name]")));
    assertThat(((Number) BROWSER.script("return window.innerWidth")).intValue()).isEqualTo(390);

    // The 13 columns are wider than the phone: their wrapper scrolls sideways (.table-wrap has
    // overflow-x: auto), and the page itself is no wider than the screen.
    @SuppressWarnings("unchecked")
    Map<String, Object> wrap =
        (Map<String, Object>)
            BROWSER.script(
                "const wrap = document.getElementById('fields-table').parentElement;"
                    + "return {className: wrap.className,"
                    + " overflowX: getComputedStyle(wrap).overflowX,"
                    + " scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth};");
    assertThat(wrap.get("className")).isEqualTo("table-wrap");
    assertThat(wrap.get("overflowX")).isEqualTo("auto");
    assertThat(((Number) wrap.get("scrollWidth")).intValue())
        .isGreaterThan(((Number) wrap.get("clientWidth")).intValue());
    assertPageFitsTheWindow();
    BROWSER.screenshot("phone");

    // Scrolled sideways, the table moves within its card and the field names stay in view.
    @SuppressWarnings("unchecked")
    Map<String, Object> scrolled =
        (Map<String, Object>)
            BROWSER.script(
                "const wrap = document.getElementById('fields-table').parentElement;"
                    + "wrap.scrollLeft = wrap.scrollWidth;"
                    + "const name = document.querySelector('#fields-table tbody th');"
                    + "return {scrollLeft: wrap.scrollLeft,"
                    + " wrapLeft: wrap.getBoundingClientRect().left,"
                    + " nameLeft: name.getBoundingClientRect().left};");
    assertThat(((Number) scrolled.get("scrollLeft")).doubleValue()).isPositive();
    assertThat(((Number) scrolled.get("nameLeft")).doubleValue())
        .isCloseTo(
            ((Number) scrolled.get("wrapLeft")).doubleValue(),
            org.assertj.core.data.Offset.offset(1.0));
    assertPageFitsTheWindow();
    BROWSER.script("document.getElementById('fields-table').scrollIntoView()");
    BROWSER.screenshot("phone-fields-scrolled");
  }

  private static void assertPageFitsTheWindow() {
    Number pageWidth = (Number) BROWSER.script("return document.documentElement.scrollWidth");
    Number windowWidth = (Number) BROWSER.script("return window.innerWidth");
    assertThat(pageWidth.intValue()).isLessThanOrEqualTo(windowWidth.intValue() + 1);
  }

  /** A server started with {@code --api-token}: POST and DELETE need it. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithAnApiToken {
    private Pipeline secured;
    private String securedApi;

    @BeforeAll
    void start(@TempDir Path dataDir) {
      secured =
          startPipeline("browser-token", dataDir, http -> http.withPort(0).withApiToken(TOKEN));
      securedApi = "http://" + secured.httpAddress().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(securedApi, "/health").statusCode() == 200);
    }

    @AfterAll
    void stop() {
      if (secured != null) {
        secured.close();
      }
    }

    @Test
    void aSubmissionRefusedForWantOfTheTokenAsksForItAndGoesThroughOnceItIsGiven()
        throws IOException {
      BROWSER.open(securedApi + "/");
      BROWSER
          .until(visibilityOfElementLocated(By.id("submit-urls")))
          .sendKeys(samples.baseUrl() + "/small.csv\n");
      BROWSER.driver().findElement(By.id("submit-button")).click();

      // Refused: the token field opens, and the alert and the panel say why.
      WebElement token = BROWSER.until(visibilityOfElementLocated(By.id("api-token")));
      assertThat(BROWSER.driver().findElement(By.id("message")).getText())
          .contains("needs a token")
          .contains("Enter the API token");
      assertThat(BROWSER.driver().findElement(By.id("token-reason")).getText()).contains("token");
      assertThat(BROWSER.driver().getCurrentUrl()).doesNotContain("#/jobs/");
      BROWSER.screenshot("token-asked");

      // Saved, the refused submission runs again.
      token.sendKeys(TOKEN);
      BROWSER.driver().findElement(By.cssSelector("#token-form button[type='submit']")).click();
      BROWSER.until(urlContains("#/jobs/"));
      String jobId = jobIdInUrl();
      BROWSER.until(textToBe(By.id("job-state"), "complete"));
      assertThat(BROWSER.driver().findElement(By.id("message")).getText()).isEmpty();
      JsonNode job = json(get(securedApi, "/jobs/" + jobId));
      assertThat(job.get("urlsSucceeded").asInt()).isEqualTo(1);
      assertThat((String) BROWSER.script("return sessionStorage.getItem('fetchstats.apiToken')"))
          .isEqualTo(TOKEN);
    }
  }

  /** The job id in the address, where the page shows a job ({@code #/jobs/ID}); else null. */
  private static String jobIdInUrl() {
    String url = BROWSER.driver().getCurrentUrl();
    int at = url.indexOf("#/jobs/");
    return at < 0 ? null : URLDecoder.decode(url.substring(at + 7), StandardCharsets.UTF_8);
  }

  private static String cellValue(WebElement row, String statistic) {
    return row.findElement(By.cssSelector("td[data-field='" + statistic + "']"))
        .getAttribute("data-value");
  }

  private static JsonNode field(JsonNode job, String name) {
    for (JsonNode field : job.get("fields")) {
      if (field.get("name").asText().equals(name)) {
        return field;
      }
    }
    throw new AssertionError("no field " + name + " in " + job);
  }

  /** Submits a URL list through the API; the new job's id. */
  private String submit(String urls) throws IOException {
    HttpResponse<String> posted =
        send(
            HttpRequest.newBuilder(URI.create(api + "/jobs"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(urls)));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    return json(posted).get("jobId").asText();
  }

  private static SampleServer.Resource csv(String body) {
    return new SampleServer.Resource("text/csv", body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> get(String base, String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
