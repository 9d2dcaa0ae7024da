package dev.keel.benchmarks.compare;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A latency-by-percentile plot in HdrHistogram's style: the x axis is {@code 1 / (1 - percentile)} on a log
 * scale, so 90 %, 99 %, 99.9 % and 99.99 % are evenly spaced and the tail is as visible as the median; one line
 * per system. Written as PNG with XChart.
 */
final class PercentilePlot {
    /** HdrHistogram's percentile iteration: five steps per halving of the distance to 100 %. */
    private static final int TICKS_PER_HALF = 5;

    private PercentilePlot() {
    }

    /**
     * Writes {@code file}.
     *
     * @param series a line per name, latencies in nanoseconds
     */
    static void write(Path file, String title, Map<String, Histogram> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
                .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, Histogram> e : series.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (HistogramIterationValue v : e.getValue().percentiles(TICKS_PER_HALF)) {
                double p = v.getPercentileLevelIteratedTo();
                if (p >= 100 || e.getValue().getTotalCount() == 0) {
                    break;
                }
                x.add(1 / (1 - p / 100));
                y.add(v.getValueIteratedTo() / 1e6);
            }
            if (!x.isEmpty()) {
                chart.addSeries(e.getKey(), x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** @return the percentile a log-axis tick stands for: 1 → 0%, 10 → 90%, 100 → 99%, 1000 → 99.9% */
    static String percentileLabel(double x) {
        if (x < 1) {
            return "";
        }
        double p = 100 * (1 - 1 / x);
        return p == Math.rint(p) ? String.format("%.0f%%", p) : String.format("%s%%", stripZeros(p));
    }

    private static String stripZeros(double p) {
        String s = String.format("%.4f", p);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** @return an ordered map, for callers building series */
    static Map<String, Histogram> series() {
        return new LinkedHashMap<>();
    }
}
