package dev.keel.harness.cluster;

/**
 * A child process for {@link FaketimeClocksTest}: prints {@code <currentTimeMillis> <nanoTime>} every 100 ms
 * until its input closes or it has run for a minute.
 */
public final class ClockPrinter {
    private ClockPrinter() {
    }

    /** Prints the clocks until stdin closes (the test ended) or for 60 s. */
    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    continue; // nothing is sent; the loop only notices the end of input
                }
            } catch (java.io.IOException e) {
                // the parent went away either way
            }
            System.exit(0);
        });
        watcher.setDaemon(true);
        watcher.start();
        for (int i = 0; i < 600; i++) {
            System.out.println(System.currentTimeMillis() + " " + System.nanoTime());
            System.out.flush();
            Thread.sleep(100);
        }
    }
}
