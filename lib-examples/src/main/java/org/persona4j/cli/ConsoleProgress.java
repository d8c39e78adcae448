package org.persona4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;

/**
 * A progress bar on standard error: redrawn in place on a terminal, one line every few seconds
 * otherwise (logs, CI). Thread-safe; quiet mode prints nothing.
 */
public final class ConsoleProgress implements ProgressListener {
    private final PrintStream out;
    private final boolean interactive;
    private final boolean quiet;
    private long lastPrint;
    private String lastTask;

    /**
     * @param quiet print nothing
     */
    public ConsoleProgress(boolean quiet) {
        this(System.err, System.console() != null, quiet);
    }

    ConsoleProgress(PrintStream out, boolean interactive, boolean quiet) {
        this.out = out;
        this.interactive = interactive;
        this.quiet = quiet;
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = p.total() > 0 && p.done() >= p.total();
        boolean newTask = !p.task().equals(lastTask);
        long minGap = interactive ? 200_000_000L : 5_000_000_000L;
        if (!finished && !newTask && now - lastPrint < minGap) {
            return;
        }
        lastPrint = now;
        if (newTask && lastTask != null && interactive) {
            out.println();
        }
        lastTask = p.task();
        String line = render(p);
        if (interactive) {
            out.print('\r' + line);
            if (finished) {
                out.println();
                lastTask = null;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String render(Progress p) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.task()).append(' ');
        double f = p.fraction();
        if (f >= 0) {
            int width = 30;
            int filled = (int) Math.round(f * width);
            sb.append('[').append("=".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%3.0f%% ", f * 100));
            sb.append(p.done()).append('/').append(p.total());
        } else {
            sb.append(p.done());
        }
        sb.append(' ').append(p.unit());
        sb.append(String.format(Locale.ROOT, " | %,.0f %s/s", p.ratePerSecond(), p.unit()));
        double eta = p.etaSeconds();
        if (eta >= 0 && f < 1) {
            sb.append(String.format(Locale.ROOT, " | ETA %dm%02ds", (long) eta / 60, (long) eta % 60));
        }
        p.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " | %s %.4f", k, v)));
        return sb.toString();
    }
}
