package dev.keel.kernel.raft;

final class HazardHunt {
    public static void main(String[] args) {
        String bug = args[0];
        int n = Integer.parseInt(args[1]);
        int start = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        for (int i = start; i < n; i++) {
            RandomSchedule schedule = new RandomSchedule(i * 7919L + 13, 3);
            for (TestNode node : schedule.cluster().nodes.values()) {
                node.inject(bug);
            }
            try {
                schedule.run(3000);
            } catch (AssertionError e) {
                System.out.println(bug + " caught at try " + i + ": " + e.getMessage());
                return;
            }
        }
        System.out.println(bug + " not caught in " + n);
    }
}
