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
 * A latency-by-percentile plot in HdrHistogram's style: the x axis is {@code log10(1 / (1 - percentile))}, so
 * 90 %, 99 %, 99.9 % and 99.99 % are evenly spaced and the tail is as visible as the median; one line
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
        // x = log10(1 / (1 - p)) on a linear axis: XChart's log axis with custom labels does not terminate.
        chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.getStyler().setXAxisMin(0.0);
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
                x.add(Math.log10(1 / (1 - p / 100)));
                y.add(v.getValueIteratedTo() / 1e6);
            }
            if (!x.isEmpty()) {
                chart.addSeries(e.getKey(), x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * @return the percentile an x-axis tick stands for: 0 → 0%, 1 → 90%, 2 → 99%, 3 → 99.9%; ticks between get
     *         their own percentile (XChart needs every label distinct)
     */
    static String percentileLabel(double x) {
        double p = 100 * (1 - Math.pow(10, -x));
        return p == Math.rint(p) ? String.format("%.0f%%", p) : String.format("%s%%", stripZeros(p));
    }

    private static String stripZeros(double p) {
        String s = String.format("%.3f", p);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** @return an ordered map, for callers building series */
    static Map<String, Histogram> series() {
        return new LinkedHashMap<>();
    }
}
