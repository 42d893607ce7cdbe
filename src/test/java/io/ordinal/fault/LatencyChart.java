package io.ordinal.fault;

import io.ordinal.history.Outcome;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The picture of a run: the latency of every operation (log scale) against the time it was invoked,
 * coloured by outcome, with each fault drawn as a band from injection to healing. Drawn once, on one of
 * two canvases: inline SVG for the HTML report, and a PNG (Java2D, no browser needed).
 */
final class LatencyChart {

    enum Series {
        FAILED("failed (412, 404)", "#b0b0b0"),
        READ_OK("read ok", "#1f77b4"),
        WRITE_OK("write ok", "#2ca02c"),
        UNKNOWN("unknown (timeout, cut, 503, 5xx)", "#d62728");

        final String label;
        final String color;

        Series(String label, String color) {
            this.label = label;
            this.color = color;
        }
    }

    record Point(double seconds, double millis, Series series) {
    }

    record Band(double from, double to, String label) {
    }

    private static final double MIN_MS = 0.5;
    private static final double MAX_MS = 20_000;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 60;
    private static final int BOTTOM = 50;
    private static final int HEIGHT = 560;

    private final List<Point> points = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final String title;
    private double span = 1;

    LatencyChart(String title) {
        this.title = title;
    }

    static LatencyChart of(String title, long origin, List<StepResult> steps) {
        LatencyChart chart = new LatencyChart(title);
        for (StepResult step : steps) {
            if (!step.ran()) {
                continue;
            }
            for (Recorder.Entry e : step.entries()) {
                Series s;
                if (e.op().outcome() == Outcome.UNKNOWN) {
                    s = Series.UNKNOWN;
                } else if (e.op().outcome() == Outcome.FAILED) {
                    s = Series.FAILED;
                } else {
                    s = e.kind().isWrite() ? Series.WRITE_OK : Series.READ_OK;
                }
                chart.add(new Point(seconds(e.op().invokedAt() - origin), (e.op().completedAt() - e.op().invokedAt()) / 1e6, s));
            }
            if (step.kind() != FaultKind.NONE) {
                chart.band(new Band(seconds(step.injectedAt() - origin), seconds(step.healedAt() - origin),
                        step.index() + " " + step.kind().id()));
            }
            chart.span = Math.max(chart.span, seconds(step.endedAt() - origin));
        }
        return chart;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    void add(Point p) {
        points.add(p);
        span = Math.max(span, p.seconds());
    }

    void band(Band b) {
        bands.add(b);
        span = Math.max(span, b.to());
    }

    int width() {
        return (int) Math.max(1200, Math.min(4000, span * 6)) + LEFT + RIGHT;
    }

    // --- the drawing, once for both canvases ------------------------------------------------

    interface Canvas {
        void rect(double x, double y, double w, double h, String color, double opacity);

        void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

        void text(double x, double y, String text, int size, String color, boolean end);

        /** Many small squares of one colour (every operation of a series). */
        void dots(List<double[]> xy, double size, String color, double opacity);
    }

    private double x(double seconds) {
        return LEFT + seconds / span * (width() - LEFT - RIGHT);
    }

    private double y(double millis) {
        double v = Math.log10(Math.max(MIN_MS, Math.min(MAX_MS, millis)));
        double lo = Math.log10(MIN_MS);
        double hi = Math.log10(MAX_MS);
        return TOP + (hi - v) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
    }

    void draw(Canvas c) {
        int w = width();
        c.rect(0, 0, w, HEIGHT, "#ffffff", 1);
        c.text(LEFT, 22, title, 16, "#000000", false);
        // fault bands, labels staggered on two rows so that neighbours do not overlap
        int row = 0;
        for (Band b : bands) {
            double x1 = x(b.from());
            double x2 = Math.max(x(b.to()), x1 + 3);
            c.rect(x1, TOP, x2 - x1, HEIGHT - TOP - BOTTOM, "#ff7f0e", 0.28);
            c.line(x1, TOP - 4, x1, HEIGHT - BOTTOM, "#e6550d", 1.5, false);
            c.text(x1 + 3, TOP - 8 - 14 * (row++ % 2), b.label(), 12, "#a63603", false);
        }
        // axes and grid
        for (double ms : new double[] {1, 10, 100, 1000, 10_000}) {
            double yy = y(ms);
            c.line(LEFT, yy, w - RIGHT, yy, "#dddddd", 1, false);
            c.text(LEFT - 6, yy + 4, ms >= 1000 ? (int) (ms / 1000) + " s" : (int) ms + " ms", 12, "#333333", true);
        }
        double step = span <= 60 ? 10 : span <= 300 ? 30 : span <= 900 ? 60 : 120;
        for (double s = 0; s <= span + 1e-9; s += step) {
            double xx = x(s);
            c.line(xx, HEIGHT - BOTTOM, xx, HEIGHT - BOTTOM + 5, "#333333", 1, false);
            c.text(xx, HEIGHT - BOTTOM + 19, String.format(Locale.ROOT, "%.0f s", s), 12, "#333333", false);
        }
        c.line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333333", 1, false);
        c.line(LEFT, HEIGHT - BOTTOM, w - RIGHT, HEIGHT - BOTTOM, "#333333", 1, false);
        c.text(LEFT, HEIGHT - 10, "time since the run began (invocation); latency on a log scale; orange: a fault from injection to healing",
                12, "#333333", false);
        // operations, in the order of the series: the rarest last, so that they stay visible
        for (Series s : Series.values()) {
            List<double[]> xy = new ArrayList<>();
            for (Point p : points) {
                if (p.series() == s) {
                    xy.add(new double[] {x(p.seconds()), y(p.millis())});
                }
            }
            c.dots(xy, s == Series.UNKNOWN ? 4 : 2.2, s.color, s == Series.UNKNOWN ? 0.9 : 0.6);
        }
        // legend
        double lx = w - RIGHT - 250;
        int i = 0;
        for (Series s : Series.values()) {
            double ly = 16 + 14 * i++;
            c.rect(lx, ly - 8, 9, 9, s.color, 1);
            c.text(lx + 14, ly, s.label + " (" + points.stream().filter(p -> p.series() == s).count() + ")", 12, "#000000", false);
        }
    }

    // --- SVG ---------------------------------------------------------------------------------

    String svg() {
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width()).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(width()).append(' ').append(HEIGHT).append("\" font-family=\"sans-serif\">\n");
        draw(new Canvas() {
            @Override
            public void rect(double x, double y, double w, double h, String color, double opacity) {
                out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"/>\n",
                        x, y, w, h, color, opacity));
            }

            @Override
            public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
                out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
                        x1, y1, x2, y2, color, width, dashed ? " stroke-dasharray=\"4 3\"" : ""));
            }

            @Override
            public void text(double x, double y, String text, int size, String color, boolean end) {
                out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"%s\"%s>%s</text>\n",
                        x, y, size, color, end ? " text-anchor=\"end\"" : "", escape(text)));
            }

            @Override
            public void dots(List<double[]> xy, double size, String color, double opacity) {
                if (xy.isEmpty()) {
                    return;
                }
                out.append("<path fill=\"").append(color).append("\" fill-opacity=\"").append(opacity).append("\" d=\"");
                String side = String.format(Locale.ROOT, "%.1f", size);
                for (double[] p : xy) {
                    out.append(String.format(Locale.ROOT, "M%.1f %.1fh", p[0] - size / 2, p[1] - size / 2))
                            .append(side).append('v').append(side).append('h').append('-').append(side).append('z');
                }
                out.append("\"/>\n");
            }
        });
        return out.append("</svg>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // --- PNG ---------------------------------------------------------------------------------

    void png(Path file) throws IOException {
        BufferedImage image = new BufferedImage(width(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        try {
            draw(new Canvas() {
                @Override
                public void rect(double x, double y, double w, double h, String color, double opacity) {
                    g.setColor(color(color, opacity));
                    g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
                }

                @Override
                public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
                    g.setColor(color(color, 1));
                    g.setStroke(dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                            new float[] {4, 3}, 0) : new BasicStroke((float) width));
                    g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
                }

                @Override
                public void text(double x, double y, String text, int size, String color, boolean end) {
                    g.setColor(color(color, 1));
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
                    double dx = end ? g.getFontMetrics().stringWidth(text) : 0;
                    g.drawString(text, (float) (x - dx), (float) y);
                }

                @Override
                public void dots(List<double[]> xy, double size, String color, double opacity) {
                    g.setColor(color(color, opacity));
                    for (double[] p : xy) {
                        g.fill(new java.awt.geom.Rectangle2D.Double(p[0] - size / 2, p[1] - size / 2, size, size));
                    }
                }
            });
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static Color color(String hex, double opacity) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return new Color((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, (int) Math.round(opacity * 255));
    }
}
