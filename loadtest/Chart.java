import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws compare-etcd.sh's CSV as SVG charts, one per scenario and measure: throughput, p50 and p99
 * against connections, Ordinal and etcd side by side (the mean of the rounds). JDK only:
 * {@code java loadtest/Chart.java target/loadtest/compare-X.csv docs/img}.
 */
public class Chart {

    record Row(String scenario, int connections, String system, double rps, double p50, double p99) {
    }

    public static void main(String[] args) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0])).subList(1, Files.readAllLines(Path.of(args[0])).size())) {
            String[] f = line.split(",");
            rows.add(new Row(f[0], Integer.parseInt(f[1]), f[2], Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6])));
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (String scenario : rows.stream().map(Row::scenario).distinct().toList()) {
            for (String measure : List.of("rps", "p99")) {
                Map<String, TreeMap<Integer, Double>> series = new TreeMap<>();
                Map<String, TreeMap<Integer, Integer>> counts = new TreeMap<>();
                for (Row r : rows) {
                    if (!r.scenario().equals(scenario)) {
                        continue;
                    }
                    double v = measure.equals("rps") ? r.rps() : r.p99();
                    series.computeIfAbsent(r.system(), k -> new TreeMap<>()).merge(r.connections(), v, Double::sum);
                    counts.computeIfAbsent(r.system(), k -> new TreeMap<>()).merge(r.connections(), 1, Integer::sum);
                }
                series.forEach((system, points) -> points.replaceAll((c, sum) -> sum / counts.get(system).get(c)));
                String title = scenario + (measure.equals("rps") ? ": requests per second" : ": p99 latency (ms)");
                Files.writeString(out.resolve(scenario + "-" + measure + ".svg"), svg(title, series));
            }
        }
    }

    /** A line per system; x: connections on a log scale, y: from 0 to the largest value. */
    static String svg(String title, Map<String, TreeMap<Integer, Double>> series) {
        int w = 480, h = 280, left = 60, right = 110, top = 30, bottom = 40;
        double max = series.values().stream().flatMap(m -> m.values().stream()).mapToDouble(d -> d).max().orElse(1);
        List<Integer> xs = series.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        double lo = Math.log(xs.get(0)), hi = Math.log(xs.get(xs.size() - 1));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", w, h));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-weight=\"bold\">%s</text>%n", left, title));
        for (int i = 0; i <= 4; i++) {
            double y = top + (h - top - bottom) * (1 - i / 4.0);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left, w - right, y, y, left - 6, y + 4, max * i / 4));
        }
        for (int x : xs) {
            double px = xPos(x, lo, hi, left, w - right);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", px, h - bottom + 16, x));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">connections</text>%n",
                (left + w - right) / 2, h - 6));
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c"};
        int k = 0;
        for (Map.Entry<String, TreeMap<Integer, Double>> e : series.entrySet()) {
            String color = colors[k % colors.length];
            StringBuilder points = new StringBuilder();
            for (Map.Entry<Integer, Double> p : e.getValue().entrySet()) {
                double px = xPos(p.getKey(), lo, hi, left, w - right);
                double py = top + (h - top - bottom) * (1 - p.getValue() / max);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, color));
            }
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().trim(), color));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", w - right + 10,
                    top + 16 + 18 * k, color, e.getKey()));
            k++;
        }
        return s.append("</svg>\n").toString();
    }

    static double xPos(int x, double lo, double hi, int from, int to) {
        return hi == lo ? (from + to) / 2.0 : from + (to - from) * (Math.log(x) - lo) / (hi - lo);
    }
}
