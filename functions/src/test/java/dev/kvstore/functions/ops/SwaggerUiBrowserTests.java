package dev.kvstore.functions.ops;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.routing.RouteTable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Swagger UI in a real headless Chromium: every operation is listed, "Try it out"
 * registers a user, the token authorizes the page, and {@code GET /api/v1/auth/me}
 * answers with that user. Saves a screenshot to target/swagger-ui.png. Skipped only where
 * no Chromium can be installed (.ci/run installs Debian's chromium and chromium-driver
 * when missing).
 */
@ApiTest
class SwaggerUiBrowserTests {

	private static final File CHROMIUM = new File("/usr/bin/chromium");

	private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	@Autowired
	ApiClient api;

	ChromeDriver browser;

	WebDriverWait wait;

	Path profile;

	@BeforeEach
	void openBrowser() throws Exception {
		assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
				"no Chromium here: apt-get install chromium chromium-driver");
		this.profile = Files.createTempDirectory("chromium-profile");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1400,2400", "--user-data-dir=" + this.profile);
		this.browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build(),
				options);
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void registersAndReadsTheProfileThroughTryItOut() throws Exception {
		this.browser.get("http://127.0.0.1:" + this.api.port() + "/docs");
		this.wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock"), 0));

		List<WebElement> operations = this.browser.findElements(By.cssSelector(".opblock"));
		assertThat(operations).hasSize(RouteTable.ROUTES.size());
		for (var route : RouteTable.ROUTES) {
			assertThat(this.browser.findElements(By.cssSelector("[id$='-" + route.function() + "']")))
				.as(route.function())
				.isNotEmpty();
		}

		String name = "ui_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String registered = tryItOut("register",
				"{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\",\"password\":\"Passw0rdUi\"}",
				"201");
		String token = JsonMapper.shared().readTree(registered).get("access_token").asString();

		click(By.cssSelector(".auth-wrapper .authorize"));
		WebElement tokenInput = this.wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".auth-container input")));
		tokenInput.sendKeys(token);
		click(By.cssSelector(".auth-btn-wrapper .authorize"));
		click(By.cssSelector(".auth-btn-wrapper .btn-done"));

		String profile = tryItOut("getProfile", null, "200");

		assertThat(profile).contains("\"username\": \"" + name + "\"");
		Files.write(Path.of("target/swagger-ui.png"), this.browser.getScreenshotAs(OutputType.BYTES));
	}

	/**
	 * Expands an operation, fills its body if given, executes it and returns the response
	 * body.
	 */
	private String tryItOut(String operationId, String body, String expectedStatus) {
		WebElement operation = this.browser.findElement(By.cssSelector("[id$='-" + operationId + "']"));
		((JavascriptExecutor) this.browser).executeScript("arguments[0].scrollIntoView(true);", operation);
		operation.findElement(By.cssSelector(".opblock-summary-control")).click();
		// The expanded operation renders after the click: wait for its parts, never look
		// once.
		WebElement tryOut = this.wait
			.until(ExpectedConditions.elementToBeClickable(within(operation, ".try-out__btn")));
		tryOut.click();
		if (body != null) {
			WebElement editor = within(operation, "textarea.body-param__text");
			editor.clear();
			editor.sendKeys(body);
		}
		operation.findElement(By.cssSelector(".execute")).click();
		WebElement status = within(operation, ".live-responses-table .response .response-col_status");
		assertThat(status.getText()).startsWith(expectedStatus);
		return within(operation, ".live-responses-table .response-col_description pre").getText();
	}

	/** Waits for an element inside {@code parent} to appear. */
	private WebElement within(WebElement parent, String selector) {
		return this.wait.until((driver) -> parent.findElements(By.cssSelector(selector))
			.stream()
			.filter(WebElement::isDisplayed)
			.findFirst()
			.orElse(null));
	}

	private void click(By locator) {
		this.wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
	}

}
