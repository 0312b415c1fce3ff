using System.Text;
using System.Text.Json;
using LeaseActors.Judging;

namespace LeaseActors.Cli.Pictures;

/// <summary>
/// A run as Chrome trace-event JSON (the "JSON Object Format" that ui.perfetto.dev and chrome://tracing open): one
/// process per emulated process (its syscalls on one thread, its signal handlers on another) and one "kernel" process
/// whose threads are the kernel objects (a lease per open file description, each RDMA region). Blocked syscalls are
/// complete events (<c>X</c>); leases, breaks, handlers and regions are begin/end pairs; signals, exits, faults,
/// findings and deadlines are instants; fd passing and signal delivery are flow arrows. Timestamps are virtual
/// microseconds.
/// </summary>
internal static class PerfettoTrace
{
    private sealed record Ev(double Ts, int Rank, int Seq, Action<Utf8JsonWriter> Write);

    public static string Render(RunPicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var ids = new Dictionary<string, (int Pid, int Tid)>();
        var kernelPid = picture.Processes.Count + 1;
        var kernelTid = 0;
        foreach (var t in picture.Tracks)
        {
            ids[t.Id] = t.Kind switch
            {
                TrackKind.Process => (picture.Processes.IndexOf(t.Group) + 1, 1),
                TrackKind.Handler => (picture.Processes.IndexOf(t.Group) + 1, 2),
                TrackKind.Thread => (picture.Processes.IndexOf(t.Group) + 1, 3 + picture.Tracks.Where(x => x.Kind == TrackKind.Thread && x.Group == t.Group).ToList().IndexOf(t)),
                _ => (kernelPid, ++kernelTid),
            };
        }

        var events = new List<Ev>();
        var seq = 0;
        void Add(double ms, int rank, Action<Utf8JsonWriter> write) => events.Add(new Ev(Math.Round(ms * 1000, 3), rank, seq++, write));

        foreach (var s in picture.Spans)
        {
            var (pid, tid) = ids[s.Track];
            var cat = s.Style;
            if (s.Style is "blocked" or "syscall" || s.EndMs <= s.StartMs)
            {
                Add(s.StartMs, 1, w =>
                {
                    Common(w, s.Name, cat, "X", s.StartMs, pid, tid);
                    w.WriteNumber("dur", Math.Round((s.EndMs - s.StartMs) * 1000, 3));
                    Args(w, s.Detail, s.Open);
                    w.WriteEndObject();
                });
                continue;
            }
            Add(s.StartMs, 2 + s.Depth, w =>
            {
                Common(w, s.Name, cat, "B", s.StartMs, pid, tid);
                Args(w, s.Detail, s.Open);
                w.WriteEndObject();
            });
            Add(s.EndMs, -s.Depth, w =>
            {
                Common(w, s.Name, cat, "E", s.EndMs, pid, tid);
                w.WriteEndObject();
            });
        }
        foreach (var i in picture.Instants)
        {
            var (pid, tid) = ids[i.Track];
            Add(i.Ms, 100, w =>
            {
                Common(w, i.Name, i.Style, "i", i.Ms, pid, tid);
                w.WriteString("s", "t");
                Args(w, i.Detail, false);
                w.WriteEndObject();
            });
        }
        foreach (var d in picture.Deadlines)
        {
            var (pid, tid) = ids[d.Track];
            Add(d.Ms, 100, w =>
            {
                Common(w, d.Name, "deadline", "i", d.Ms, pid, tid);
                w.WriteString("s", "g");
                Args(w, $"{d.Name} at {RunPicture.Ms(d.Ms)} ms", false);
                w.WriteEndObject();
            });
        }
        foreach (var f in picture.Flows)
        {
            var (fromPid, fromTid) = ids[f.FromTrack];
            var (toPid, toTid) = ids[f.ToTrack];
            Add(f.FromMs, 101, w =>
            {
                Common(w, f.Name, f.Kind, "s", f.FromMs, fromPid, fromTid);
                w.WriteNumber("id", f.Id);
                w.WriteEndObject();
            });
            Add(f.ToMs, 101, w =>
            {
                Common(w, f.Name, f.Kind, "f", f.ToMs, toPid, toTid);
                w.WriteNumber("id", f.Id);
                w.WriteString("bp", "e");
                w.WriteEndObject();
            });
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("displayTimeUnit", "ms");
            w.WriteStartArray("traceEvents");
            // Names and order of the tracks first.
            foreach (var (process, index) in picture.Processes.Select((p, i) => (p, i)))
            {
                Meta(w, "process_name", index + 1, 0, process);
                Meta(w, "process_sort_index", index + 1, 0, null, index);
                Meta(w, "thread_name", index + 1, 1, process + " syscalls");
                if (ids.ContainsKey(RunPicture.HandlerTrack(process))) Meta(w, "thread_name", index + 1, 2, process + " signal handlers");
                foreach (var t in picture.Tracks.Where(t => t.Kind == TrackKind.Thread && t.Group == process)) Meta(w, "thread_name", index + 1, ids[t.Id].Tid, t.Name);
            }
            Meta(w, "process_name", kernelPid, 0, "kernel objects");
            Meta(w, "process_sort_index", kernelPid, 0, null, kernelPid);
            foreach (var t in picture.Tracks.Where(t => t.Kind is not (TrackKind.Process or TrackKind.Thread or TrackKind.Handler)))
                Meta(w, "thread_name", kernelPid, ids[t.Id].Tid, t.Name);
            foreach (var e in events.OrderBy(e => e.Ts).ThenBy(e => e.Rank).ThenBy(e => e.Seq)) e.Write(w);
            w.WriteEndArray();
            w.WriteStartObject("metadata");
            var r = picture.Report;
            w.WriteString("topology", r.Topology);
            w.WriteString("policy", r.Policy);
            w.WriteNumber("seed", r.Seed);
            w.WriteString("verdict", r.Verdict.Name());
            if (r.WorstSlackMs is { } slack) w.WriteNumber("worstSlackMs", slack); else w.WriteNull("worstSlackMs");
            w.WriteString("traceSha256", r.TraceSha256);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Common(Utf8JsonWriter w, string name, string cat, string ph, double ms, int pid, int tid)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("cat", cat);
        w.WriteString("ph", ph);
        w.WriteNumber("ts", Math.Round(ms * 1000, 3));
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
    }

    private static void Args(Utf8JsonWriter w, string detail, bool open)
    {
        w.WriteStartObject("args");
        w.WriteString("detail", detail);
        if (open) w.WriteBoolean("unfinished", true);
        w.WriteEndObject();
    }

    private static void Meta(Utf8JsonWriter w, string name, int pid, int tid, string? value, int? sortIndex = null)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("ph", "M");
        w.WriteNumber("ts", 0);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        if (sortIndex is { } s) w.WriteNumber("sort_index", s); else w.WriteString("name", value);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
