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
        double rate = p.ratePerSecond();
        sb.append(String.format(Locale.ROOT, rate < 10 ? " | %.2f %s/s" : " | %,.0f %s/s", rate, p.unit()));
        // one ETA: the task's own estimate of what is left (e.g. all epochs) when it gives one
        Double given = p.metrics().get(ETA_SECONDS);
        double eta = given != null ? given : p.etaSeconds();
        if (eta >= 0 && (given != null || f < 1)) {
            long e = Math.round(eta);
            sb.append(e >= 3600 ? String.format(Locale.ROOT, " | ETA %dh%02dm", e / 3600, e % 3600 / 60)
                    : String.format(Locale.ROOT, " | ETA %dm%02ds", e / 60, e % 60));
        }
        new java.util.TreeMap<>(p.metrics()).forEach((k, v) -> {
            if (!k.equals(ETA_SECONDS)) {
                sb.append(k.endsWith("/s") ? String.format(Locale.ROOT, " | %s %,.0f", k, v) : String.format(Locale.ROOT, " | %s %.4g", k, v));
            }
        });
        return sb.toString();
    }

    /** A metric that, when present, is the seconds left for the whole task; shown as the only ETA. */
    static final String ETA_SECONDS = "eta_s";
}
