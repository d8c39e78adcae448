package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartCommandTest {
    @Test
    void runsEndToEndOnASmallShop(@TempDir Path dir) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("quickstart", "--users", "120", "--items", "300", "--epochs", "1", "--quiet", "--out", dir.toString());
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(Files.exists(dir.resolve("shop/events.csv")));
        assertTrue(text.contains("0 skipped"), text);
        assertTrue(text.contains("users                            120"), text);
        assertTrue(Files.exists(dir.resolve("profile-model.zip")));
        assertTrue(text.contains("epoch 1: loss"), text);
        assertTrue(Files.exists(dir.resolve("shop/truth.csv")));
        assertTrue(text.contains("shoppers held out (20%)"), text);
        // the shown held-out shoppers' propensities vary, and churn is a number or n/a (a model without a churn head)
        Matcher m = Pattern.compile("purchase propensity (\\d\\.\\d{3}), churn (n/a|\\d\\.\\d{3}),").matcher(text);
        Set<String> purchase = new HashSet<>();
        Set<String> churn = new HashSet<>();
        int shown = 0;
        while (m.find()) {
            shown++;
            purchase.add(m.group(1));
            churn.add(m.group(2));
        }
        assertTrue(shown >= 3, text);
        assertTrue(purchase.size() >= 2, "purchase propensities vary: " + purchase);
        assertTrue(churn.equals(Set.of("n/a")) || churn.size() >= 2, "churn propensities vary: " + churn);
        assertTrue(text.contains("lapsed 2026-"), "a lapsed shopper is shown: " + text);
        // the heads' AUC against the planted labels
        Matcher auc = Pattern.compile("purchase head vs purchases in the last 7 days: AUC (\\d\\.\\d{3})").matcher(text);
        assertTrue(auc.find(), text);
        double a = Double.parseDouble(auc.group(1));
        assertTrue(a >= 0 && a <= 1, text);
        assertTrue(text.contains("purchase head vs high-checkout personas: AUC"), text);
        assertTrue(Pattern.compile("churn head vs lapsed shoppers: AUC (\\d\\.\\d{3}|n/a \\(this model has no churn head\\))")
                .matcher(text).find(), text);
        assertTrue(text.contains("vectors: long-term user embeddings"), text);
        assertTrue(text.contains("agreement with the planted personas (adjusted Rand index): behaviour vectors"), text);
        assertTrue(Files.exists(dir.resolve("segments-model/segments.csv")));
        assertTrue(text.contains("quickstart finished"), text);
        // the re-rank demo shows the order before and after, and the profile changes it
        assertTrue(text.contains("re-rank of a search result list for \"gift\" (before -> after)"), text);
        assertTrue(text.contains("the profile moved the shopper's own category up"), text);
        assertTrue(!text.contains("events of events"), text);
        assertTrue(!Pattern.compile("similarity -\\d").matcher(text).find(), "no reason cites a negative similarity: " + text);
    }
}
