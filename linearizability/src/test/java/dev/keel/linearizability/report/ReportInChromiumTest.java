package dev.keel.linearizability.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Counterexample;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report of a generated failing kv history in headless Chromium, as a reader would: the script must run
 * without errors, the page must fit the window, and the failing operation must be drawn, highlighted, in view.
 */
class ReportInChromiumTest {
    /** The failing operation's fill on the canvas (report.js). */
    private static final int HIGHLIGHT = 0xff1744;

    @TempDir
    Path dir;

    @Test
    void theFailingOperationIsHighlightedInViewAndThePageFitsTheWindow() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        History history = StaleReads.injectOne(
                HistoryGenerator.generate(new Spec("kv", 4_000, 10, 20, 0.05, 1_000_000_000, 11)));
        Counterexample c = Checker.check(history, Models.kv(null), Budget.unlimitedTime(), 1)
                .counterexample().orElseThrow();
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render(c, "kv", history), StandardCharsets.UTF_8);

        String dom = chromium.dumpDom(page, dir.resolve("dom.html"));
        assertFalse(dom.contains(" data-report-error=\""), () -> "the script failed: " + attribute(dom,
                "data-report-error"));
        assertEquals("ok", attribute(dom, "data-rendered"), "the script drew the timeline");
        assertEquals("true", attribute(dom, "data-failing-visible"), "the failing operation is in view");
        int viewport = Integer.parseInt(attribute(dom, "data-viewport-width"));
        assertTrue(Integer.parseInt(attribute(dom, "data-scroll-width")) <= viewport,
                "nothing is off-screen: the page is no wider than the window");
        String[] rect = attribute(dom, "data-canvas-rect").split(",");

        Path png = dir.resolve("report.png");
        chromium.screenshot(page, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth(), "the screenshot is the window");
        assertEquals(viewport, image.getWidth());
        int left = Integer.parseInt(rect[0]);
        int top = Integer.parseInt(rect[1]);
        int right = Math.min(image.getWidth(), left + Integer.parseInt(rect[2]));
        int bottom = Math.min(image.getHeight(), top + Integer.parseInt(rect[3]));
        assertTrue(top < image.getHeight() - 60, "the timeline starts in the first screen, at y=" + top);
        int highlighted = 0;
        int inked = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = top; y < bottom; y++) {
            for (int x = left; x < right; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                highlighted += near(rgb, HIGHLIGHT) ? 1 : 0;
                inked += rgb != 0xffffff ? 1 : 0;
            }
        }
        assertTrue(highlighted >= 60, "the failing operation's highlight is drawn in view: " + highlighted + " px");
        assertTrue(colours.size() > 20 && inked > (right - left) * (bottom - top) / 4,
                "the timeline is not blank: " + colours.size() + " colours, " + inked + " inked pixels");
    }

    @Test
    void aScriptErrorIsShownOnThePageAndMarkedInTheDom() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Counterexample c = Checker.check(StaleReads.injectOne(HistoryGenerator.generate(
                new Spec("kv", 400, 5, 4, 0.0, 1_000_000_000, 5))), Models.kv(null), Budget.unlimitedTime(), 1)
                .counterexample().orElseThrow();
        // Data the script cannot read: the page must say so rather than stay silently blank.
        String broken = HtmlReport.render(c, "kv").replace("\"ops\":[", "\"ops\":[[");
        Path page = dir.resolve("broken.html");
        Files.writeString(page, broken, StandardCharsets.UTF_8);
        String dom = chromium.dumpDom(page, dir.resolve("broken-dom.html"));
        assertEquals("error", attribute(dom, "data-rendered"));
        assertTrue(attribute(dom, "data-report-error").contains("JSON"), dom.substring(0, 300));
        assertTrue(dom.contains("The interactive timeline failed: "), "the reader is told");
    }

    private static boolean near(int rgb, int target) {
        return Math.abs((rgb >> 16) - (target >> 16)) <= 12 && Math.abs((rgb >> 8 & 0xff) - (target >> 8 & 0xff)) <= 12
                && Math.abs((rgb & 0xff) - (target & 0xff)) <= 12;
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), () -> "no " + name + " in the DOM: " + dom.substring(0, Math.min(400, dom.length())));
        return m.group(1);
    }
}
