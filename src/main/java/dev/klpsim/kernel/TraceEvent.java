package dev.klpsim.kernel;

import dev.klpsim.kernel.Trace.Category;

/**
 * What a trace event says, as typed fields. The console line ({@link #text()}) is one
 * rendering of these fields; the timeline, the exports, the sequence view, the ledgers and
 * the tests read the fields, never the text.
 */
public sealed interface TraceEvent {
    Category category();

    /** A short name of the kind of event, stable for filters and exports. */
    String kind();

    /** The console rendering (after "~ category: "). */
    String text();

    /** The livepatch this event belongs to, or null. */
    default String patch() {
        return null;
    }

    /** The steps of a transition (kernel/livepatch/transition.c) that concern the whole patch. */
    enum Step {
        INIT, START, ATTEMPT_FAILED, ATTEMPT_DONE, SIGNALS, REVERSE, FORCE, CANCEL, COMPLETE;

        public String kind() {
            return switch (this) {
                case ATTEMPT_FAILED, ATTEMPT_DONE -> "attempt";
                default -> name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    private static String direction(int target) {
        return target == 1 ? "patching" : "unpatching";
    }

    /**
     * A transition step. {@code target} is the target state after the step (for INIT, the
     * target of the transition being set up); {@code attempts} the attempts so far;
     * {@code pending} the tasks an attempt could not switch; {@code nextNs} the next attempt.
     */
    record TransitionStep(String patch, Step step, int target, int attempts, int pending, long nextNs) implements TraceEvent {
        public Category category() {
            return Category.TRANSITION;
        }

        public String kind() {
            return step.kind();
        }

        public String text() {
            String p = "'" + patch + "': ";
            return p + switch (step) {
                case INIT -> direction(target) + " transition initialized: every task starts at " + (1 - target);
                case START -> direction(target) + " transition started, target " + target;
                case ATTEMPT_FAILED -> "attempt " + attempts + " failed (" + pending + " task" + (pending == 1 ? "" : "s")
                        + " not switched), next attempt at " + Timers.seconds(nextNs, false);
                case ATTEMPT_DONE -> "attempt " + attempts + ": every task is at " + target;
                case SIGNALS -> "fake signals to the pending tasks (attempt " + attempts + ")";
                case REVERSE -> "reversed, target now " + target + "; no callbacks run now";
                case FORCE -> "forced: every pending task switches without a stack check";
                case CANCEL -> "enable failed, transition canceled (completes as unpatching)";
                case COMPLETE -> direction(target) + " transition complete after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                        + "; every task back to -1";
            };
        }
    }

    /** A task's patch state set to the target ({@code how}: the switch point). */
    record TaskSwitched(String patch, int pid, String comm, int to, String how) implements TraceEvent {
        public Category category() {
            return Category.TRANSITION;
        }

        public String kind() {
            return "switch";
        }

        public String text() {
            return comm + ":" + pid + " switched to " + to + " (" + how + ")";
        }
    }

    /** A task an attempt (or cond_resched) could not switch, and why. */
    record TaskBlocked(String patch, int pid, String comm, int state, boolean atCondResched, String why) implements TraceEvent {
        public Category category() {
            return Category.TRANSITION;
        }

        public String kind() {
            return "blocked";
        }

        public String text() {
            return comm + ":" + pid + " not switched" + (atCondResched ? " at cond_resched" : "") + ": " + why;
        }
    }

    /** do_exit(): a task left the task list (a transition no longer waits for it). */
    record TaskExited(int pid, String comm) implements TraceEvent {
        public Category category() {
            return Category.TRANSITION;
        }

        public String kind() {
            return "exit";
        }

        public String text() {
            return comm + ":" + pid + " exited";
        }
    }

    /** klp_send_signals() for one task: what the fake signal (or wake-up) does to it. */
    record SignalSent(String patch, int pid, String comm, String effect) implements TraceEvent {
        public Category category() {
            return Category.TRANSITION;
        }

        public String kind() {
            return "signal";
        }

        public String text() {
            return comm + ":" + pid + ": " + effect;
        }
    }

    /**
     * A callback that ran. {@code object} is the object's name (vmlinux or a module),
     * {@code moduleState} the target module's state then ("" for vmlinux or an absent module).
     * The events between {@code fromSeq} and this one happened inside the callback.
     */
    record CallbackRan(String patch, String object, String moduleState, String callback, int ret, long fromSeq) implements TraceEvent {
        public Category category() {
            return Category.CALLBACKS;
        }

        public String kind() {
            return "call";
        }

        public String text() {
            return "'" + patch + "' " + callback + "(" + object + (moduleState.isEmpty() ? "" : " " + moduleState) + ")"
                    + (callback.equals("pre_patch") ? " = " + ret : "");
        }
    }

    /** A callback that is defined but did not run, and why. */
    record CallbackSkipped(String patch, String object, String moduleState, String callback, String reason) implements TraceEvent {
        public Category category() {
            return Category.CALLBACKS;
        }

        public String kind() {
            return "skip";
        }

        public String text() {
            return "'" + patch + "' " + callback + "(" + object + (moduleState.isEmpty() ? "" : " " + moduleState) + ") skipped: " + reason;
        }
    }

    /** What happened to a func stack or ftrace handler: nop added/discarded, push, pop, ftrace. */
    record FuncStackOp(String patch, String kind, String func, int depth, String text) implements TraceEvent {
        public Category category() {
            return Category.PATCH;
        }
    }

    enum ShadowCall {
        GET, ALLOC, GET_OR_ALLOC, FREE, FREE_ALL;

        public String function() {
            return "klp_shadow_" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum ShadowResult {
        /** a new variable */ NEW,
        /** an existing one was returned (get, get_or_alloc) */ FOUND,
        /** none: get found nothing, free found nothing */ NOT_FOUND,
        /** alloc of an existing (obj, id): WARN and NULL */ EXISTS,
        /** the constructor failed */ CTOR_FAILED,
        /** freed */ FREED,
        /** get found nothing: another module freed what the caller used before (a fault) */ READ_AFTER_FREE
    }

    /**
     * A shadow-variable call: {@code obj} the object's pointer, {@code data} the shadow
     * data's pointer (or null), {@code caller} the module whose code made the call,
     * {@code context} the callback it ran in (e.g. "post_unpatch(vmlinux)") or null,
     * {@code withFn} whether a ctor/dtor was passed, {@code count} for free_all. A free_all
     * is one event per variable it frees (with its obj) and one summary (obj null).
     */
    record ShadowOp(ShadowCall call, String obj, long id, long size, String caller, String inCallback, String inObject, ShadowResult result,
                    String data, boolean withFn, int count, int err, String freedBy) implements TraceEvent {
        /** "post_unpatch(vmlinux)", or null outside callbacks. */
        public String context() {
            // inObject is null for a place that is not a callback (module_init, a function)
            return inCallback == null ? null : inObject == null ? inCallback : inCallback + "(" + inObject + ")";
        }

        public Category category() {
            return Category.SHADOW;
        }

        public String kind() {
            return call.function().substring("klp_shadow_".length());
        }

        /** Whether this call ended the variable's life (a free, or one variable of a free_all). */
        public boolean freesOne() {
            return result == ShadowResult.FREED && obj != null;
        }

        /** Whether this call created a variable. */
        public boolean allocates() {
            return result == ShadowResult.NEW;
        }

        public String text() {
            return switch (call) {
                case GET -> String.format("klp_shadow_get(obj=%s, id=0x%x)%s = %s", obj, id, by(), data == null ? "NULL" : data)
                        + (result == ShadowResult.READ_AFTER_FREE ? " (read after free: " + freedBy + " freed it)" : "");
                case ALLOC, GET_OR_ALLOC -> String.format("%s(obj=%s, id=0x%x, size=%d, ctor=%s)%s", call.function(), obj, id, size,
                        withFn ? "yes" : "none", by()) + switch (result) {
                    case EXISTS -> " = NULL (-EEXIST: it exists)";
                    case FOUND -> " = " + data + " (existing, no ctor)";
                    case CTOR_FAILED -> " = NULL (ctor returned " + err + ")";
                    default -> " = " + data + " (new)";
                };
                case FREE -> String.format("klp_shadow_free(obj=%s, id=0x%x, dtor=%s)%s: %s", obj, id, withFn ? "yes" : "none", by(),
                        result == ShadowResult.FREED ? "freed " + data : "not found");
                case FREE_ALL -> obj != null
                        ? String.format("klp_shadow_free_all(id=0x%x, dtor=%s)%s: frees obj=%s, %s", id, withFn ? "yes" : "none", by(), obj, data)
                        : String.format("klp_shadow_free_all(id=0x%x, dtor=%s)%s: %d freed", id, withFn ? "yes" : "none", by(), count);
            };
        }

        /** " by MODULE" for a call made by a module's code (every line names its caller), "" for one from the kernel itself. */
        private String by() {
            return caller == null ? "" : " by " + caller + (context() == null ? "" : " in " + context());
        }
    }

    /** A system-state operation (kernel/livepatch/state.c). */
    record StateOp(String patch, String kind, long stateId, int version, String text) implements TraceEvent {
        public Category category() {
            return Category.STATE;
        }
    }

    /**
     * A module event: "load" (with its arguments), "state" (value: the MODULE_STATE ordinal,
     * text its description), "failed" (value: the error), "refcnt" (value: the new count),
     * "free".
     */
    record ModuleEvent(String module, String kind, int value, String detail) implements TraceEvent {
        public Category category() {
            return Category.MODULE;
        }

        public String text() {
            return switch (kind) {
                case "load" -> "load " + module + detail;
                case "free" -> module + ": freed";
                default -> module + ": " + detail;
            };
        }
    }

    /** A WARN() the kernel printed: where, and its message (null when it has none). */
    record Warning(String file, int line, String function, String message) implements TraceEvent {
        public Category category() {
            return Category.WARN;
        }

        public String kind() {
            return "warn";
        }

        public String text() {
            return "WARNING at " + file + ":" + line + " " + function + (message == null ? "" : ": " + message);
        }
    }
}
