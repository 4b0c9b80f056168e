package dev.klpsim.kernel;

/**
 * A real host's state that a machine boots into instead of klpsim's own boot tasks: a
 * snapshot taken by scripts/klp-snapshot. Every machine booted with the same options (a
 * preview's scratch copy, a journal's replay) boots the same host, so the host is the
 * starting point of whatever happens next.
 */
public interface HostImage {
    /** Where the host's state came from (a file), for messages and recordings. */
    String source();

    /**
     * Builds the host into a machine under construction: its symbols, modules, CPUs, tasks
     * and livepatch state. Called once the livepatch core and the file systems exist; the
     * machine has no tasks yet. Must set {@link Machine#shell}.
     */
    void boot(Machine m);

    /** The host's kernel release (uname -r), or null to keep the profile's. */
    default String release() {
        return null;
    }

    /** The host's /proc/cmdline, or null to keep klpsim's. */
    default String cmdline() {
        return null;
    }
}
