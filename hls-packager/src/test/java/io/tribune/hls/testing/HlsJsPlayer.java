package io.tribune.hls.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The test players' browser side, shared by the ITs that watch a stream with hls.js: Debian's headless Chromium,
 * a player page with hls.js (the WebJar the build pins) and {@code diagnostics.js} beside it, and the hls.js
 * diagnostics printed at the end of a watch.
 */
public final class HlsJsPlayer {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HlsJsPlayer() {
    }

    /** Whether Debian's chromium and chromium-driver are installed. */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Writes {@code page} (a test resource) as {@code www/index.html}, with hls.min.js and diagnostics.js. */
    public static void writePage(Path www, String page) throws IOException {
        copy(page, www.resolve("index.html"));
        copy(HlsJsDiagnostics.SCRIPT, www.resolve("diagnostics.js"));
        copy("META-INF/resources/webjars/hls.js/" + hlsJsVersion() + "/dist/hls.min.js", www.resolve("hls.min.js"));
    }

    /** A headless Chromium that plays media without a user gesture, with its profile in {@code profile}. */
    public static ChromeDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
        return driver;
    }

    /** Which hls.js errors the run saw, with hls.js's log before each (printed whether the test passed or not). */
    public static void printDiagnostics(ChromeDriver browser) {
        try {
            System.out.println(HlsJsDiagnostics.describe(browser));
        } catch (RuntimeException e) {
            System.out.println("hls.js diagnostics unavailable: " + e);
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = HlsJsPlayer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Files.copy(in, target);
        }
    }

    private static String hlsJsVersion() {
        String version = System.getProperty("hlsjs.version");
        if (version == null) {
            throw new IllegalStateException("run through Maven: failsafe passes hlsjs.version");
        }
        return version;
    }
}
