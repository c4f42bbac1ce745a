package io.tribune.ops;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

/**
 * One headless Debian Chromium with fake camera, microphone and screen (flags from shared/KNOWN-GOOD.md), the few
 * steps the journey needs, and a screenshot of every step under {@code target/screenshots/<journey>/}. Waits are
 * generous: three browsers with live media share two loaded cores. Not thread-safe.
 */
final class Browser implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final Path screenshots;
    private final Path profile;
    private final Path downloads;
    private final String name;
    private int step;

    private Browser(String name, Path screenshots, Path profile, int width, int height, String... extraArguments)
            throws IOException {
        this.downloads = Files.createDirectories(profile.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--auto-select-desktop-capture-source=Entire screen", "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        if (width < 500) {
            // Headless windows are at least 500 px wide: a phone-sized viewport needs device emulation.
            options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics",
                    java.util.Map.of("width", width, "height", height, "pixelRatio", 1.0, "touch", false)));
        }
        options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(45));
        this.screenshots = screenshots;
        this.profile = profile;
        this.name = name;
    }

    /** Skips the test with what to install when Debian's Chromium and ChromeDriver are missing. */
    static void requireInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER), "Chromium is not "
                + "installed: run 'apt-get install -y chromium chromium-driver' to run the browser tests");
    }

    /** A browser; {@code extraArguments} go to Chromium after the usual ones (a fake camera's file, say). */
    static Browser open(String name, Path screenshots, int width, int height, String... extraArguments)
            throws IOException {
        Files.createDirectories(screenshots);
        return new Browser(name, screenshots, Files.createTempDirectory("tribune-chromium"), width, height,
                extraArguments);
    }

    String name() {
        return name;
    }

    Path downloads() {
        return downloads;
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
        for (int attempt = 1; ; attempt++) {
            try {
                wait.until(ExpectedConditions.elementToBeClickable(target)).click();
                return this;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e; // re-rendered under us three times in a row
                }
            }
        }
    }

    /** Chooses {@code file} in a file input (which may be visually hidden behind its label). */
    Browser upload(By input, Path file) {
        wait.until(ExpectedConditions.presenceOfElementLocated(input)).sendKeys(file.toAbsolutePath().toString());
        return this;
    }

    Browser sees(String text) {
        wait.until(d -> d.findElement(By.tagName("body")).getText().contains(text));
        return this;
    }

    Browser sees(By by) {
        find(by);
        return this;
    }

    Browser accept() {
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        return this;
    }

    boolean shows(String text) {
        return driver.findElement(By.tagName("body")).getText().contains(text);
    }

    /**
     * Takes the page off the network (or back on) as DevTools' offline mode does: its requests and new connections
     * fail until it is back.
     */
    Browser offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", java.util.Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", offline,
                "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
        return this;
    }

    Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    Object asyncScript(String javascript, Object... args) {
        return driver.executeAsyncScript(javascript, args);
    }

    /** Polls {@code condition} until it is true or the timeout ends; returns the last result. */
    <T> T until(Duration timeout, Function<Browser, T> probe, java.util.function.Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.apply(this);
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            last = probe.apply(this);
        }
        return last;
    }

    Browser snap(String what) throws IOException {
        System.out.printf("%tT %s: %s%n", System.currentTimeMillis(), name, what);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(String.format("%02d-%s-%s.png", ++step, name, what)),
                StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            profile.toFile().deleteOnExit();
        }
    }
}
