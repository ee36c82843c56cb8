package com.casarerpa.robot.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** CPU and memory of the machine for heartbeats; what the platform cannot tell is left out. */
final class MachineMetrics {
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    OptionalDouble cpuPercent() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getCpuLoad();
            if (load >= 0) {
                return OptionalDouble.of(round(Math.min(100, load * 100)));
            }
        }
        return OptionalDouble.empty();
    }

    OptionalDouble memoryPercent() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getTotalMemorySize() > 0) {
            long used = sun.getTotalMemorySize() - sun.getFreeMemorySize();
            return OptionalDouble.of(round(Math.max(0, Math.min(100, used * 100.0 / sun.getTotalMemorySize()))));
        }
        return OptionalDouble.empty();
    }

    OptionalLong memoryMb() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getTotalMemorySize() > 0) {
            return OptionalLong.of(Math.max(0, (sun.getTotalMemorySize() - sun.getFreeMemorySize()) / (1024 * 1024)));
        }
        return OptionalLong.empty();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
