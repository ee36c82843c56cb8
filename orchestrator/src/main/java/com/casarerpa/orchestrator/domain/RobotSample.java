package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Optional;

/** A robot's measurements in one minute ({@code at}: the minute's start), as its heartbeat said them. */
public record RobotSample(Instant at, Optional<Double> cpuPercent, Optional<Double> memoryPercent, Optional<Double> memoryMb) {}
