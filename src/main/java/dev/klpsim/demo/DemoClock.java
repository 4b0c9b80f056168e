package dev.klpsim.demo;

/**
 * The presenter's clock, in seconds since the demo started: typing, pauses and the simulated
 * time a command lets pass (a {@code sleep}) advance it, divided by the speed. Paced, it is
 * real: each advance is waited out. Unpaced, a recording still gets these times (so that it
 * plays at a human pace) while the demo itself runs at once. The time commands take to run
 * is not counted: a recording's timing does not depend on how loaded the machine was.
 */
final class DemoClock {
    private final boolean real;
    private final double speed;
    private double now;

    DemoClock(boolean real, double speed) {
        this.real = real;
        this.speed = speed;
    }

    double now() {
        return now;
    }

    boolean real() {
        return real;
    }

    /** {@code seconds} at speed 1 pass (a wait only when paced). */
    void pass(double seconds) {
        if (seconds <= 0) return;
        double s = seconds / speed;
        now += s;
        if (!real) return;
        try {
            Thread.sleep((long) (s * 1000), (int) ((s * 1e9) % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A wait that is the presenter's (a key in step mode): real already; a recording shows it as {@code shown} seconds. */
    void paused(double shown) {
        now += shown;
    }
}
