package io.tribune.sfu.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven through Debian's ChromeDriver, with the flags of shared/KNOWN-GOOD.md. */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * Makes sure Chromium and ChromeDriver are installed: as root it installs the Debian packages (CI), otherwise
     * the test is skipped with instructions. A failed install as root fails the test instead.
     */
    static void requireInstalled() throws IOException, InterruptedException {
        if (installed()) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root, "Chromium is not installed and this user cannot install it: run "
                + "'sudo apt-get install -y chromium chromium-driver' to run the browser test");
        Process install = new ProcessBuilder("sh", "-c",
                "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver")
                .inheritIO().start();
        install.waitFor();
        Assertions.assertTrue(installed(), "apt-get could not install chromium and chromium-driver");
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /**
     * Starts a headless browser with a fresh profile and fake camera and microphone; {@code extraArguments} are
     * added to the flags (e.g. {@code --use-file-for-fake-audio-capture=FILE}).
     */
    static ChromeDriver start(Path profile, String... extraArguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                // In a network namespace with only loopback, Chromium gathers no candidates without this.
                "--allow-loopback-in-peer-connection",
                "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
        return driver;
    }
}
