package dev.klpsim.kernel;

/** The scheduler state of a task, as ps shows it. */
public enum TaskState {
    RUNNING("R"), INTERRUPTIBLE("S"), UNINTERRUPTIBLE("D"), DEAD("X");

    public final String letter;

    TaskState(String letter) {
        this.letter = letter;
    }
}
