package io.tribune.ops;

import static io.tribune.ops.Browser.button;
import static io.tribune.ops.Browser.heading;
import static io.tribune.ops.Browser.named;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;

/** What the browser journeys share of the web client's pages: its landmarks and the steps every journey takes. */
final class MeetingPages {

    static final By PEOPLE_TAB = By.xpath("//button[starts-with(normalize-space(.),'People')]");
    static final By CHAT_TAB = By.xpath("//button[starts-with(normalize-space(.),'Chat')]");
    static final By CONNECTED = By.xpath("//span[@data-status='channel' and .='connected']");
    static final By MEDIA_CONNECTED = By.xpath("//span[@data-status='media' and .='media connected']");
    /** Media through Chromium's software encoders on a loaded 2-core machine. */
    static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);

    private MeetingPages() {
    }

    /** Creates an account in the web client; ends on the signed-in home page. */
    static void signUp(Browser browser, String base, String name, String login) throws Exception {
        browser.go(base + "/").sees(heading("Log in to Tribune"));
        browser.click(button("Create an account")).sees(heading("Create your account"))
                .type(named("username"), name).type(named("email"), login + "@example.org")
                .type(named("password"), "a long enough pass phrase");
        browser.click(button("Create account")).sees(heading("Your meetings")).snap("signed-up");
    }

    /** Lets {@code who} in from the host's waiting-room list if the meeting sent them there. */
    static void admitIfWaiting(Browser host, Browser who, String name) throws Exception {
        String where = who.until(MEDIA_TIMEOUT, b -> b.shows("waiting room") ? "lobby"
                : b.shows("Leave") ? "room" : "", w -> !w.isEmpty());
        if ("lobby".equals(where)) {
            who.snap("in-lobby");
            host.click(PEOPLE_TAB).sees(name).snap("sees-lobby");
            host.click(By.xpath("//li[span[.='" + name + "']]//button[.='Admit']"));
            host.click(CHAT_TAB);
        }
        who.sees(button("Leave"));
    }

    /** After a failed step: each page's media log and a screenshot, from the browsers still alive. */
    static void reportFailure(List<Browser> browsers) {
        for (Browser browser : browsers) {
            try {
                System.out.println(browser.name() + " media log: " + browser.script(
                        "return JSON.stringify(window.tribuneRoom && window.tribuneRoom.mediaLog)"));
                browser.snap("failure");
            } catch (IOException | RuntimeException ignored) {
                // a browser that died cannot take a screenshot
            }
        }
    }
}
