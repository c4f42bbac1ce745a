package io.tribune.api.web;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One headless Debian Chromium (flags from shared/KNOWN-GOOD.md: fake camera and microphone, no sandbox as root)
 * with the few steps the web client tests need, and a screenshot of every step under
 * {@code target/screenshots/<test>/}. Not thread-safe.
 */
final class Browser implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Path screenshots;
    private final String name;
    private int step;

    private Browser(String name, Path screenshots, Path profile, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(45)); // generous: the machine may be loaded
        this.screenshots = screenshots;
        this.name = name;
    }

    /** Installs Chromium as root when missing (CI); otherwise skips the test with what to install. */
    static void requireInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) {
            return;
        }
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "Chromium is not installed: run "
                + "'sudo apt-get install -y chromium chromium-driver' to run the browser tests");
        new ProcessBuilder("sh", "-c", "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
                + "chromium chromium-driver").inheritIO().start().waitFor();
        Assertions.assertTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "apt-get could not install chromium and chromium-driver");
    }

    static Browser open(String name, Path screenshots, int width, int height) throws IOException {
        Files.createDirectories(screenshots);
        return new Browser(name, screenshots, Files.createTempDirectory("tribune-chromium"), width, height);
    }

    Browser go(String url) {
        driver.get(url);
        return this;
    }

    WebElement find(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    static By named(String name) {
        return By.cssSelector("[name='" + name + "']");
    }

    static By button(String text) {
        return By.xpath("//button[normalize-space(.)='" + text + "'] | //a[normalize-space(.)='" + text + "']");
    }

    static By heading(String text) {
        return By.xpath("//h1[normalize-space(.)='" + text + "']");
    }

    Browser type(By field, String text) {
        WebElement element = find(field);
        element.clear();
        element.sendKeys(text);
        return this;
    }

    Browser click(By target) {
        wait.until(ExpectedConditions.elementToBeClickable(target)).click();
        return this;
    }

    /** Waits until the page shows {@code text} somewhere. */
    Browser sees(String text) {
        wait.until(d -> d.findElement(By.tagName("body")).getText().contains(text));
        return this;
    }

    Browser sees(By by) {
        find(by);
        return this;
    }

    /** Waits until {@code javascript} (an expression) is true in the page: for state not visible as text. */
    Browser until(String javascript) {
        wait.until(d -> Boolean.TRUE.equals(driver.executeScript("return Boolean(" + javascript + ")")));
        return this;
    }

    /** Confirms the page's confirm() dialog. */
    Browser accept() {
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        return this;
    }

    boolean shows(String text) {
        return driver.findElement(By.tagName("body")).getText().contains(text);
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Takes the page off the network (or back on) as DevTools' offline mode does. */
    Browser offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", java.util.Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", offline,
                "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
        return this;
    }

    /** Moves the mouse over {@code target}, {@code fraction} of its width from its left edge (0 to 1). */
    Browser hover(By target, double fraction) {
        WebElement element = find(target);
        int width = element.getSize().getWidth();
        new org.openqa.selenium.interactions.Actions(driver)
                .moveToElement(element, (int) Math.round((fraction - 0.5) * width), 0).perform();
        return this;
    }

    /** Resizes the window, e.g. to a phone's screen. */
    Browser resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
        return this;
    }

    /** Grants {@code permissions} (e.g. "notifications") to {@code origin} without a prompt, as DevTools can. */
    Browser grant(String origin, String... permissions) {
        driver.executeCdpCommand("Browser.grantPermissions", java.util.Map.of("origin", origin,
                "permissions", java.util.List.of(permissions)));
        return this;
    }

    /** Runs an async script: its last argument is the callback to call with the result. */
    Object asyncScript(String javascript) {
        return driver.executeAsyncScript(javascript);
    }

    Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** Saves a screenshot named after the step, for a person to look at. */
    Browser snap(String what) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(String.format("%02d-%s-%s.png", ++step, name, what)),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
