package io.tribune.sfu.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser tests' page ({@code meeting.html}, a small client of docs/sfu-signaling.md) served on loopback, and
 * the headless Chromiums a test opens on it, each with a fresh profile that {@link #closeBrowsers()} removes.
 */
final class TestPage implements AutoCloseable {

    private final HttpServer http;
    private final List<ChromeDriver> browsers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private TestPage(HttpServer http) {
        this.http = http;
    }

    /** Serves the page; as in {@link Chromium#requireInstalled()}, a machine without Chromium skips the test. */
    static TestPage serve() throws IOException, InterruptedException {
        Chromium.requireInstalled();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            try (InputStream page = TestPage.class.getResourceAsStream("meeting.html");
                 OutputStream out = exchange.getResponseBody()) {
                byte[] body = page.readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        http.start();
        return new TestPage(http);
    }

    /** Opens a browser on the page with a fresh profile; {@code extraArguments} are added to Chromium's flags. */
    ChromeDriver open(String... extraArguments) throws IOException {
        Path profile = Files.createTempDirectory("tribune-chromium-");
        profiles.add(profile);
        ChromeDriver browser = Chromium.start(profile, extraArguments);
        browsers.add(browser);
        browser.get("http://127.0.0.1:" + http.getAddress().getPort() + "/");
        return browser;
    }

    /** The profile of the browser opened last (its processes carry it in their flags). */
    Path lastProfile() {
        return profiles.get(profiles.size() - 1);
    }

    /** Quits every browser opened so far (some may be gone already, killed on purpose) and removes the profiles. */
    void closeBrowsers() throws IOException {
        for (ChromeDriver browser : browsers) {
            try {
                browser.quit();
            } catch (RuntimeException e) {
                // Already gone.
            }
        }
        browsers.clear();
        for (Path profile : profiles) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        profiles.clear();
    }

    @Override
    public void close() throws IOException {
        closeBrowsers();
        http.stop(0);
    }
}
