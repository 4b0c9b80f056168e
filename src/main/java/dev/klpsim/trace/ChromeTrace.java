package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The session in the Chrome trace-event format (Perfetto, chrome://tracing). Tracks: the
 * livepatch core (one slice per transition, labelled), modules, one per patch (its callbacks
 * as slices with their arguments, skipped callbacks and shadow calls inside them), one per
 * task (its patch state). Stamps come from a {@link LogicalClock}, so within one virtual
 * instant the kernel's order holds and slices on a track nest or follow each other. Each
 * shadow variable is an async slice from alloc to free, with a flow arrow between the two.
 */
public final class ChromeTrace {
    private ChromeTrace() {}

    static final int CORE_TID = 1, MODULES_TID = 2, FIRST_OWNER_TID = 10, TASK_TID_BASE = 1000;

    public static String json(Timeline t) {
        LogicalClock clock = new LogicalClock(t.events, t.endNs);
        StringBuilder sb = new StringBuilder();
        sb.append("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"clock\":")
                .append(Export.json("logical: virtual time in microseconds, events of one instant " + LogicalClock.STEP
                        + " us apart in the kernel's order; args.virtual_time_s is the virtual time"))
                .append("},\"traceEvents\":[\n");
        List<String> out = new ArrayList<>();
        out.add(meta("process_name", 0, "klpsim machine", -1));
        out.add(meta("thread_name", CORE_TID, "livepatch core: transitions", 0));
        out.add(meta("thread_name", MODULES_TID, "modules coming and going", 1));

        // a track for each patch, and for each other module that made shadow calls
        Map<String, Integer> owners = new LinkedHashMap<>();
        for (String p : SequenceModel.patches(t.events)) owners.put(p, FIRST_OWNER_TID + owners.size());
        for (Trace.Event e : t.events)
            if (e.what() instanceof TraceEvent.ShadowOp o && o.caller() != null && !owners.containsKey(o.caller()))
                owners.put(o.caller(), FIRST_OWNER_TID + owners.size());
        List<String> patches = SequenceModel.patches(t.events);
        for (var o : owners.entrySet())
            out.add(meta("thread_name", o.getValue(), (patches.contains(o.getKey()) ? "patch " : "module ") + o.getKey(), 10 + o.getValue()));
        for (Timeline.Track tr : t.tracks.values())
            out.add(meta("thread_name", TASK_TID_BASE + tr.pid(), "task " + tr.label() + " patch_state", 10_000 + tr.pid()));

        for (Timeline.Phase p : t.phases)
            out.add(slice(p.label(), "transition", CORE_TID, clock.at(p.startSeq()) - 1, clock.at(p.endSeq()) + 1,
                    "\"patch\":" + Export.json(p.patch()) + ",\"attempts\":" + p.attempts() + ",\"completed\":" + p.completed()
                            + ",\"virtual_start_s\":" + secs(p.startNs()) + ",\"virtual_end_s\":" + secs(p.endNs())));
        for (Timeline.Track tr : t.tracks.values())
            for (Timeline.Span s : tr.spans())
                out.add(slice("patch_state " + s.state(), "task", TASK_TID_BASE + tr.pid(), clock.at(s.startSeq()), clock.at(s.endSeq()),
                        "\"virtual_start_s\":" + secs(s.startNs()) + ",\"virtual_end_s\":" + secs(s.endNs())));

        Map<String, Integer> liveVar = new HashMap<>();
        Map<Integer, String> varName = new HashMap<>();
        int flowIds = 0;
        for (Trace.Event e : t.events) {
            TraceEvent w = e.what();
            double ts = clock.at(e.seq());
            String common = "\"seq\":" + e.seq() + ",\"virtual_time_s\":" + secs(e.timeNs());
            if (w instanceof TraceEvent.CallbackRan c) {
                out.add(slice(c.callback() + "(" + c.object() + ")" + (c.callback().equals("pre_patch") ? " = " + c.ret() : ""), "callback",
                        owners.get(c.patch()), clock.at(c.fromSeq()) - 1, ts + 1,
                        common + ",\"patch\":" + Export.json(c.patch()) + ",\"object\":" + Export.json(c.object()) + ",\"callback\":"
                                + Export.json(c.callback()) + ",\"module_state\":" + Export.json(c.moduleState()) + ",\"ret\":" + c.ret()));
            } else if (w instanceof TraceEvent.CallbackSkipped c) {
                out.add(instant(c.callback() + "(" + c.object() + ") skipped", "callback", owners.get(c.patch()), ts, "t",
                        common + ",\"patch\":" + Export.json(c.patch()) + ",\"object\":" + Export.json(c.object()) + ",\"callback\":"
                                + Export.json(c.callback()) + ",\"reason\":" + Export.json(c.reason())));
            } else if (w instanceof TraceEvent.ShadowOp o && o.call() != TraceEvent.ShadowCall.GET && o.obj() != null) {
                int tid = o.caller() == null ? CORE_TID : owners.get(o.caller());
                String key = o.obj() + "/" + o.id();
                String name = SequenceModel.varLabel(o.obj(), o.id());
                out.add(slice(o.call().function() + " " + name + ": " + o.result().name().toLowerCase(Locale.ROOT), "shadow", tid, ts - 0.25, ts + 0.25,
                        common + ",\"obj\":" + Export.json(o.obj()) + ",\"id\":" + Export.json(String.format("0x%x", o.id()))
                                + ",\"caller\":" + Export.json(String.valueOf(o.caller())) + ",\"in\":" + Export.json(String.valueOf(o.context()))));
                if (o.allocates()) {
                    int id = ++flowIds;
                    liveVar.put(key, id);
                    varName.put(id, name + " allocated by " + o.caller());
                    out.add("{\"name\":" + Export.json(name) + ",\"cat\":\"shadow\",\"ph\":\"s\",\"id\":" + id + ",\"pid\":1,\"tid\":" + tid + ",\"ts\":" + us(ts) + "}");
                    out.add("{\"name\":" + Export.json(varName.get(id)) + ",\"cat\":\"shadow variable\",\"ph\":\"b\",\"id\":\"sv" + id + "\",\"pid\":1,\"tid\":" + tid
                            + ",\"ts\":" + us(ts) + ",\"args\":{" + common + "}}");
                } else if (o.freesOne() && liveVar.containsKey(key)) {
                    int id = liveVar.remove(key);
                    out.add("{\"name\":" + Export.json(name) + ",\"cat\":\"shadow\",\"ph\":\"f\",\"bp\":\"e\",\"id\":" + id + ",\"pid\":1,\"tid\":" + tid + ",\"ts\":" + us(ts) + "}");
                    out.add("{\"name\":" + Export.json(varName.get(id)) + ",\"cat\":\"shadow variable\",\"ph\":\"e\",\"id\":\"sv" + id + "\",\"pid\":1,\"tid\":" + tid
                            + ",\"ts\":" + us(ts) + ",\"args\":{\"freed_by\":" + Export.json(String.valueOf(o.caller())) + "}}");
                }
            } else if (w instanceof TraceEvent.ModuleEvent m && !m.kind().equals("refcnt")) {
                out.add(instant(m.text(), "module", MODULES_TID, ts, "t", common + ",\"module\":" + Export.json(m.module()) + ",\"kind\":" + Export.json(m.kind())));
            } else if (w instanceof TraceEvent.TransitionStep s && Timeline.isPoint(e)) {
                out.add(instant(s.text(), "transition", CORE_TID, ts, "t", common + ",\"step\":" + Export.json(s.step().name())));
            } else if (w instanceof TraceEvent.Warning x) {
                out.add(instant(x.text(), "warn", CORE_TID, ts, "t", common));
            } else if (w instanceof TraceEvent.TaskBlocked b && t.tracks.containsKey(b.pid())) {
                out.add(instant("not switched: " + b.why(), "task", TASK_TID_BASE + b.pid(), ts, "t", common));
            } else if (w instanceof TraceEvent.SignalSent x && t.tracks.containsKey(x.pid())) {
                out.add(instant(x.effect(), "task", TASK_TID_BASE + x.pid(), ts, "t", common));
            } else if (w instanceof TraceEvent.StateOp x && !x.kind().equals("get_state")) {
                out.add(instant(x.text(), "state", owners.getOrDefault(x.patch(), CORE_TID), ts, "t", common));
            }
        }
        // variables still allocated at the end: their async slice ends at the end of the trace
        for (var v : liveVar.entrySet())
            out.add("{\"name\":" + Export.json(varName.get(v.getValue())) + ",\"cat\":\"shadow variable\",\"ph\":\"e\",\"id\":\"sv" + v.getValue()
                    + "\",\"pid\":1,\"tid\":" + CORE_TID + ",\"ts\":" + us(clock.end()) + ",\"args\":{\"still_allocated\":true}}");
        sb.append(String.join(",\n", out));
        return sb.append("\n]}\n").toString();
    }

    private static String meta(String what, int tid, String name, int sortIndex) {
        String m = "{\"name\":\"" + what + "\",\"ph\":\"M\",\"pid\":1" + (tid > 0 ? ",\"tid\":" + tid : "") + ",\"args\":{\"name\":" + Export.json(name) + "}}";
        if (tid > 0) m += ",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":" + tid + ",\"args\":{\"sort_index\":" + sortIndex + "}}";
        return m;
    }

    private static String slice(String name, String cat, int tid, double from, double to, String args) {
        return "{\"name\":" + Export.json(name) + ",\"cat\":\"" + cat + "\",\"ph\":\"X\",\"pid\":1,\"tid\":" + tid + ",\"ts\":" + us(from)
                + ",\"dur\":" + us(to - from) + ",\"args\":{" + args + "}}";
    }

    private static String instant(String name, String cat, int tid, double ts, String scope, String args) {
        return "{\"name\":" + Export.json(name) + ",\"cat\":\"" + cat + "\",\"ph\":\"i\",\"s\":\"" + scope + "\",\"pid\":1,\"tid\":" + tid
                + ",\"ts\":" + us(ts) + ",\"args\":{" + args + "}}";
    }

    private static String us(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String secs(long ns) {
        return String.format(Locale.ROOT, "%.6f", ns / 1e9);
    }
}
