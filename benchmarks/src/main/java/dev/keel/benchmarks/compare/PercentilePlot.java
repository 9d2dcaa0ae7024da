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
        // x = log10(1 / (1 - p)) on a linear axis with XChart's own labels: custom labels make its tick
        // search loop forever when two ticks round to the same text.
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
                .xAxisTitle("percentile, as log10(1 / (1 - p)):  0 = 0 %,  1 = 90 %,  2 = 99 %,  3 = 99.9 %,  4 = 99.99 %")
                .yAxisTitle("latency (ms)").build();
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

    /** @return an ordered map, for callers building series */
    static Map<String, Histogram> series() {
        return new LinkedHashMap<>();
    }
}
