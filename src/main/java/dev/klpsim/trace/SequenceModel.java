package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;
import dev.klpsim.livepatch.ShadowLedger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequence view of a session (`trace seq` and the HTML export draw it): lanes for the
 * livepatch core, for modules coming and going, and for each patch's objects; one step per
 * thing a livepatch author orders by (a callback run or skipped, a transition step, a module
 * coming or going, a shadow variable allocated, taken over or freed, a WARN) in the order
 * the kernel did them; transitions as bands over their steps; shadow variables as bars from
 * alloc to free. Built from the typed events only.
 */
public final class SequenceModel {
    public enum LaneKind { CORE, MODULES, OBJECT }

    public record Lane(LaneKind kind, String patch, String object) {
        public String label() {
            return switch (kind) {
                case CORE -> "livepatch core";
                case MODULES -> "modules";
                case OBJECT -> patch + ": " + object;
            };
        }
    }

    public enum StepKind { CALLBACK, SKIPPED, MODULE, TRANSITION, SHADOW_ALLOC, SHADOW_TAKEOVER, SHADOW_FREE, SHADOW_FAULT, STATE, WARN }

    /** One step: its lane, its label (readable alone), and where it came from in the event log. */
    public record Step(long seq, long timeNs, int lane, StepKind kind, String label) {}

    /** A transition over steps first..last (last: the completion, or the last step while in progress). */
    public record Band(int first, int last, String label, boolean completed) {}

    /**
     * A shadow variable's life over steps first..last (last -1: still allocated at the end);
     * {@code reads}: the klp_shadow_get() calls that found it, counted per caller ("" none):
     * compact, on the bar, not a step each.
     */
    public record Bar(int first, int last, String variable, String allocated, String end, boolean leaked, String reads) {}

    /** What the ledger says of a variable still allocated: its verdict, and whether it leaks. */
    public record Status(String text, boolean leaked) {}

    public final List<Lane> lanes = new ArrayList<>();
    public final List<Step> steps = new ArrayList<>();
    public final List<Band> bands = new ArrayList<>();
    public final List<Bar> bars = new ArrayList<>();

    private SequenceModel() {}

    /** The patches named by the events, in the order they first appear. */
    static List<String> patches(List<Trace.Event> events) {
        Set<String> out = new LinkedHashSet<>();
        for (Trace.Event e : events) {
            TraceEvent w = e.what();
            if (w instanceof TraceEvent.ModuleEvent m && m.kind().equals("load") && m.detail().startsWith(" (livepatch)")) out.add(m.module());
            else if (w instanceof TraceEvent.CallbackRan || w instanceof TraceEvent.CallbackSkipped || w instanceof TraceEvent.TransitionStep) out.add(w.patch());
        }
        return new ArrayList<>(out);
    }

    static String varLabel(String obj, long id) {
        return String.format("<%s, 0x%x>", obj.replaceFirst("^0{8}", ""), id);
    }

    /**
     * @param status the ledger's verdict on each variable still allocated, by {@link ShadowLedger#key}
     */
    public static SequenceModel of(Timeline t, Map<String, Status> status) {
        SequenceModel s = new SequenceModel();
        s.lanes.add(new Lane(LaneKind.CORE, null, null));
        s.lanes.add(new Lane(LaneKind.MODULES, null, null));
        Set<String> patches = new LinkedHashSet<>(patches(t.events));
        Map<String, Integer> laneOf = new LinkedHashMap<>();
        Map<Long, Timeline.Phase> phaseAtInit = new HashMap<>();
        for (Timeline.Phase p : t.phases) phaseAtInit.put(p.startSeq(), p);
        Map<Long, Integer> initStep = new HashMap<>();
        Map<String, Integer> allocStep = new HashMap<>();
        Map<String, String> allocText = new HashMap<>();
        Set<String> takenOver = new java.util.HashSet<>();
        int lastPending = -1;
        Map<String, Map<String, Integer>> reads = new HashMap<>();
        for (Trace.Event e : t.events) {
            TraceEvent w = e.what();
            if (w instanceof TraceEvent.CallbackRan c) {
                s.add(e, s.lane(laneOf, c.patch(), c.object()), StepKind.CALLBACK,
                        c.patch() + " " + c.callback() + "(" + c.object() + (c.moduleState().isEmpty() ? "" : " " + c.moduleState()) + ")"
                                + (c.callback().equals("pre_patch") ? " = " + c.ret() : ""));
            } else if (w instanceof TraceEvent.CallbackSkipped c) {
                s.add(e, s.lane(laneOf, c.patch(), c.object()), StepKind.SKIPPED, c.patch() + " " + c.callback() + "(" + c.object() + ") skipped: " + c.reason());
            } else if (w instanceof TraceEvent.ModuleEvent m) {
                String what = switch (m.kind()) {
                    case "state" -> m.detail().contains("COMING") ? m.module() + " coming" : m.detail().contains("GOING") ? m.module() + " going" : null;
                    case "failed" -> m.module() + " failed to load: " + m.detail();
                    default -> null;
                };
                if (what != null) s.add(e, 1, StepKind.MODULE, what);
            } else if (w instanceof TraceEvent.TransitionStep st) {
                String label = switch (st.step()) {
                    case INIT -> phaseAtInit.containsKey(e.seq()) ? phaseAtInit.get(e.seq()).label() : st.text();
                    case ATTEMPT_FAILED -> st.pending() == lastPending ? null : "'" + st.patch() + "': attempt " + st.attempts() + " failed, "
                            + st.pending() + " task" + (st.pending() == 1 ? "" : "s") + " not switched";
                    case SIGNALS, FORCE, REVERSE, CANCEL -> st.text();
                    case COMPLETE -> "'" + st.patch() + "': " + (st.target() == 1 ? "patching" : "unpatching") + " complete";
                    default -> null;
                };
                lastPending = st.step() == TraceEvent.Step.ATTEMPT_FAILED ? st.pending() : -1;
                if (label == null) continue;
                if (st.step() == TraceEvent.Step.INIT) initStep.put(e.seq(), s.steps.size());
                if (st.step() == TraceEvent.Step.COMPLETE) {
                    for (Timeline.Phase p : t.phases)
                        if (p.endSeq() == e.seq() && initStep.containsKey(p.startSeq()))
                            s.bands.add(new Band(initStep.get(p.startSeq()), s.steps.size(), p.label(), true));
                }
                s.add(e, 0, StepKind.TRANSITION, label);
            } else if (w instanceof TraceEvent.StateOp x && (x.kind().equals("install") || x.kind().equals("takeover")
                    || x.kind().equals("get_state") || x.kind().equals("get_prev_state"))) {
                // system states: installed with a patch, handed over when a cumulative patch replaces
                // it, and each klp_get_state()/klp_get_prev_state() consult (what a callback decided on)
                s.add(e, patches.contains(x.patch()) && s.hasLane(x.patch()) ? s.lane(laneOf, x.patch(), s.firstObject(laneOf, x.patch())) : 0,
                        StepKind.STATE, x.text());
            } else if (w instanceof TraceEvent.Warning x) {
                s.add(e, 0, StepKind.WARN, x.text());
            } else if (w instanceof TraceEvent.ShadowOp o && o.obj() != null && o.call() == TraceEvent.ShadowCall.GET) {
                String key = ShadowLedger.key(o.obj(), o.id());
                if (o.result() == TraceEvent.ShadowResult.FOUND && o.caller() != null)
                    reads.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(o.caller(), 1, Integer::sum);
                else if (o.result() == TraceEvent.ShadowResult.READ_AFTER_FREE) {
                    int lane = o.caller() != null && patches.contains(o.caller()) ? s.lane(laneOf, o.caller(), s.firstObject(laneOf, o.caller())) : 1;
                    s.add(e, lane, StepKind.SHADOW_FAULT, varLabel(o.obj(), o.id()) + " read by " + o.caller() + (o.context() == null ? "" : " in " + o.context())
                            + ": NULL, " + o.freedBy() + " freed it (read after free)");
                }
            } else if (w instanceof TraceEvent.ShadowOp o && o.obj() != null && o.call() != TraceEvent.ShadowCall.GET) {
                String key = ShadowLedger.key(o.obj(), o.id());
                String var = varLabel(o.obj(), o.id());
                int lane = o.caller() != null && patches.contains(o.caller())
                        ? s.lane(laneOf, o.caller(), o.inObject() != null ? o.inObject() : s.firstObject(laneOf, o.caller())) : 1;
                String where = o.caller() + (o.context() == null ? "" : " in " + o.context());
                if (o.allocates()) {
                    allocStep.put(key, s.steps.size());
                    allocText.put(key, where);
                    takenOver.removeIf(k -> k.startsWith(key + "|"));
                    s.add(e, lane, StepKind.SHADOW_ALLOC, var + " allocated by " + where);
                } else if (o.result() == TraceEvent.ShadowResult.FOUND && o.call() == TraceEvent.ShadowCall.GET_OR_ALLOC
                        && takenOver.add(key + "|" + o.caller())) {
                    s.add(e, lane, StepKind.SHADOW_TAKEOVER, var + " taken over by " + where + " (get_or_alloc found it)");
                } else if (o.freesOne()) {
                    Integer from = allocStep.remove(key);
                    s.bars.add(new Bar(from == null ? s.steps.size() : from, s.steps.size(), var,
                            from == null ? "allocated before the trace" : allocText.get(key), "freed by " + where, false, readText(reads.remove(key))));
                    s.add(e, lane, StepKind.SHADOW_FREE, var + " freed by " + where);
                }
            }
        }
        for (Timeline.Phase p : t.phases)
            if (!p.completed() && initStep.containsKey(p.startSeq()))
                s.bands.add(new Band(initStep.get(p.startSeq()), Math.max(initStep.get(p.startSeq()), s.steps.size() - 1), p.label(), false));
        for (var a : allocStep.entrySet()) {
            Status st = status.getOrDefault(a.getKey(), new Status("still allocated", false));
            s.bars.add(new Bar(a.getValue(), -1, s.steps.get(a.getValue()).label().replaceFirst(" allocated by .*", ""), allocText.get(a.getKey()),
                    st.text(), st.leaked(), readText(reads.get(a.getKey()))));
        }
        s.bars.sort(java.util.Comparator.comparingInt(Bar::first));
        return s;
    }

    /** "read 3 times by v3, once by v2", or "" when nothing read it. */
    private static String readText(Map<String, Integer> byCaller) {
        if (byCaller == null || byCaller.isEmpty()) return "";
        List<String> l = new ArrayList<>();
        byCaller.forEach((c, n) -> l.add((n == 1 ? "once" : n + " times") + " by " + c));
        return "read " + String.join(", ", l);
    }

    private void add(Trace.Event e, int lane, StepKind kind, String label) {
        steps.add(new Step(e.seq(), e.timeNs(), lane, kind, label));
    }

    private int lane(Map<String, Integer> laneOf, String patch, String object) {
        String k = patch + "\0" + object;
        Integer i = laneOf.get(k);
        if (i != null) return i;
        // keep a patch's objects together: insert after its last lane
        int at = lanes.size();
        for (int j = 0; j < lanes.size(); j++) if (patch.equals(lanes.get(j).patch())) at = j + 1;
        lanes.add(at, new Lane(LaneKind.OBJECT, patch, object));
        for (var en : laneOf.entrySet()) if (en.getValue() >= at) en.setValue(en.getValue() + 1);
        for (int j = 0; j < steps.size(); j++) {
            Step st = steps.get(j);
            if (st.lane() >= at) steps.set(j, new Step(st.seq(), st.timeNs(), st.lane() + 1, st.kind(), st.label()));
        }
        laneOf.put(k, at);
        return at;
    }

    private boolean hasLane(String patch) {
        for (Lane l : lanes) if (patch.equals(l.patch())) return true;
        return false;
    }

    private String firstObject(Map<String, Integer> laneOf, String patch) {
        for (Lane l : lanes) if (patch.equals(l.patch())) return l.object();
        return "vmlinux";
    }
}
