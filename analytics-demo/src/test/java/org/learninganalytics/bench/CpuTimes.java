package org.learninganalytics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's /proc, to say how much of the machine the load generator took: the
 * whole machine's busy and idle time (/proc/stat) and one process's user + system time
 * (/proc/PID/stat). All in clock ticks (USER_HZ, 100 per second on Linux).
 */
record CpuTimes(long busy, long total, long process) {

    static final double TICKS_PER_SECOND = 100.0;

    /** The machine now, and {@code pid} (0: none). */
    static CpuTimes sample(long pid) {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i == 4 || i == 5) idle += v;
            }
            return new CpuTimes(total - idle, total, pid == 0 ? 0 : processTicks(pid));
        } catch (IOException | RuntimeException e) {
            return new CpuTimes(0, 0, 0); // not Linux: no CPU figures
        }
    }

    /** User + system ticks of a live process; 0 when it has gone. */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) "
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
