package dev.klpsim.trace;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HTML export of a real session (callbacks demo, a module loaded late, a cumulative
 * replace, the shadow hand-over) opened in headless Chromium through Selenium: the callback
 * labels are on screen, in the kernel's order, top to bottom; lanes and legend are there;
 * the screenshot is not blank.
 *
 * Needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).
 * Without them the test is skipped with a printed reason, so `mvn -B verify` works on a
 * machine with only Java and Maven; `.ci/run` installs them and passes
 * -Dklpsim.browserTest=required, which turns a missing browser into a failure.
 */
class BrowserTest {
    static final String CHROMIUM = System.getProperty("klpsim.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("klpsim.chromedriver", "/usr/bin/chromedriver");

    private static void requireBrowser() {
        String missing = !new File(CHROMIUM).canExecute() ? CHROMIUM : !new File(CHROMEDRIVER).canExecute() ? CHROMEDRIVER : null;
        if (missing == null) return;
        String why = "BrowserTest: " + missing + " not found (apt-get install chromium chromium-driver)";
        if ("required".equals(System.getProperty("klpsim.browserTest"))) fail(why + "; -Dklpsim.browserTest=required makes this a failure");
        System.out.println(why + ": skipped");
        Assumptions.abort(why);
    }

    @Test
    void sequenceViewShowsTheCallbacksInTheKernelsOrder(@TempDir Path dir) throws Exception {
        requireBrowser();
        Sim s = CallbackSession.run();
        Path page = dir.resolve("session.html");
        s.ok("trace export " + page);
        List<String> expected = new ArrayList<>();
        for (String cb : CallbackSession.callbacksRun(s)) expected.add(cb);

        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")), "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, o);
        try {
            d.manage().window().setSize(new Dimension(1400, 900));
            d.get(page.toUri().toString());
            assertTrue(d.findElement(By.id("legend")).isDisplayed(), "legend");
            List<String> lanes = d.findElements(By.cssSelector("#sequence text.lane-label")).stream().map(WebElement::getText).toList();
            for (String lane : List.of("livepatch core", "modules", "test_klp_callbacks_demo: vmlinux", "test_klp_callbacks_demo: test_klp_callbacks_mod",
                    "test_klp_callbacks_demo2: vmlinux", "my_fix_v1: vmlinux", "my_fix_v2: vmlinux"))
                assertTrue(lanes.contains(lane), "lane " + lane + " in " + lanes);

            List<WebElement> steps = d.findElements(By.cssSelector("#sequence text.step.callback"));
            assertEquals(expected.size(), steps.size(), "one label per callback that ran");
            int lastY = -1;
            for (int i = 0; i < steps.size(); i++) {
                WebElement e = steps.get(i);
                String text = e.getText();
                String want = expected.get(i);
                assertTrue(e.isDisplayed(), want + " displayed");
                assertTrue(text.startsWith(want.substring(0, want.indexOf('(') + 1)) && text.contains("(" + want.substring(want.indexOf('(') + 1, want.indexOf(')'))),
                        "step " + i + ": '" + text + "', the kernel ran " + want);
                int y = e.getRect().getY();
                assertTrue(y > lastY, "'" + text + "' below the callback before it");
                lastY = y;
                assertTrue(e.getRect().getX() + e.getRect().getWidth() <= 1400, "'" + text + "' fits in a 1400 px window");
            }
            List<String> skipped = d.findElements(By.cssSelector("#sequence text.step.skipped")).stream().map(WebElement::getText).toList();
            assertTrue(skipped.contains("test_klp_callbacks_demo post_unpatch(vmlinux) skipped: replaced by 'test_klp_callbacks_demo2'"), skipped.toString());

            byte[] png = ((org.openqa.selenium.TakesScreenshot) d).getScreenshotAs(OutputType.BYTES);
            Path shot = Path.of("target", "browser-test", "sequence.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            // a second view for the user guide: the cumulative replace and the shadow hand-over
            ((org.openqa.selenium.JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'start'})",
                    d.findElements(By.cssSelector("#sequence text.step.transition")).stream()
                            .filter(e -> e.getText().startsWith("patching test_klp_callbacks_demo2")).findFirst().orElseThrow());
            Files.write(shot.resolveSibling("sequence-handover.png"), ((org.openqa.selenium.TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(img.getWidth() >= 1000 && img.getHeight() >= 600, img.getWidth() + "x" + img.getHeight());
            Set<Integer> colours = new HashSet<>();
            long ink = 0;
            for (int y = 0; y < img.getHeight(); y += 2)
                for (int x = 0; x < img.getWidth(); x += 2) {
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    if (rgb != 0xffffff) ink++;
                }
            assertTrue(colours.size() > 50, "a drawing, not a blank page: " + colours.size() + " colours");
            assertTrue(ink > img.getWidth() * img.getHeight() / 4 / 20, "at least 5% of the screenshot is drawn on: " + ink);
        } finally {
            d.quit();
        }
    }
}
