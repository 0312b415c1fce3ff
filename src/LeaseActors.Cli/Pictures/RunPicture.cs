using System.Globalization;
using LeaseActors.Judging;
using LeaseActors.Monitors;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Cli.Pictures;

/// <summary>What a track is: an emulated process's thread, its signal handlers, or a kernel object (a file's leases, a region).</summary>
internal enum TrackKind { Process, Thread, Handler, Lease, Region, Kernel }

/// <summary>One horizontal track of a picture: a stable id, its kind, its group (the process, or <c>kernel</c>) and its name.</summary>
internal sealed record Track(string Id, TrackKind Kind, string Group, string Name);

/// <summary>
/// A span of virtual time on a track: a blocked syscall, a handler, a lease held or breaking, a region registered.
/// Style is blocked, syscall, handler, lease, breaking or region; Open is true when it had not ended when the run did
/// (EndMs is then the end of the run); Depth is its nesting on its track (0 outermost).
/// </summary>
internal sealed record Span(string Track, string Style, string Name, double StartMs, double EndMs, bool Open, int Depth, string Detail);

/// <summary>
/// A point in virtual time on a track: a signal sent, delivered or lost, a process exit, a fault, a finding. Style is
/// signal-sent, signal-delivered, signal-lost, never-signalled, exit, fault, finding, kill, refused, teardown or label.
/// </summary>
internal sealed record Instant(string Track, string Style, string Name, double Ms, string Detail);

/// <summary>An arrow from one track to another: an fd passed over a socket, a signal delivered.</summary>
internal sealed record Flow(long Id, string Kind, string FromTrack, double FromMs, string ToTrack, double ToMs, string Name);

/// <summary>A deadline: when a break or layout change must be over.</summary>
internal sealed record Deadline(string Track, double Ms, string Name);

/// <summary>
/// A run's trace read once into what every picture draws: tracks (one per emulated process, its handlers, and the kernel
/// objects), spans, instants, flows and deadlines, plus the headline facts (who waited how long, who was never told).
/// The renderers (<see cref="PerfettoTrace"/>, <see cref="HtmlTimeline"/>, <see cref="MermaidSequence"/>) only read it.
/// </summary>
internal sealed class RunPicture
{
    private readonly List<Track> _tracks = [];
    private readonly Dictionary<string, Track> _byId = [];

    public RunReport Report { get; }
    public IReadOnlyList<Track> Tracks => _tracks;
    public List<Span> Spans { get; } = [];
    public List<Instant> Instants { get; } = [];
    public List<Flow> Flows { get; } = [];
    public List<Deadline> Deadlines { get; } = [];

    /// <summary>The headline: one sentence per break or layout change (who waited how long, who was never told).</summary>
    public List<string> Headlines { get; } = [];

    /// <summary>Processes in the order they were created.</summary>
    public List<string> Processes { get; } = [];

    /// <summary>The virtual time the pictures should show: the interesting part of the run (the end of the run may be far later).</summary>
    public double ViewEndMs { get; private set; }

    public double EndMs => Report.VirtualTimeMs;

    private RunPicture(RunReport report) => Report = report;

    public Track? TrackOf(string id) => _byId.GetValueOrDefault(id);

    public static string ProcessTrack(string process) => "p:" + process;

    public static string HandlerTrack(string process) => "h:" + process;

    public static string ThreadTrack(string process, string thread) => $"t:{process}/{thread}";

    /// <summary>The lane of a syscall: its process's, or its own for a thread other than the main one.</summary>
    private string CallTrack(string process, string? thread)
    {
        var main = Process(process);
        return thread is null || thread == process ? main : Ensure(ThreadTrack(process, thread), TrackKind.Thread, process,
            $"{process} thread {(thread.StartsWith(process + ".", StringComparison.Ordinal) ? thread[(process.Length + 1)..] : thread)}");
    }

    public static string LeaseTrack(string path, long ofd) => $"l:{path}#{ofd}";

    public static string RegionTrack(string region) => "r:" + region;

    public const string KernelTrack = "k:kernel";

    private string Ensure(string id, TrackKind kind, string group, string name)
    {
        if (!_byId.ContainsKey(id))
        {
            var t = new Track(id, kind, group, name);
            _byId[id] = t;
            _tracks.Add(t);
        }
        return id;
    }

    private string Process(string name)
    {
        if (!Processes.Contains(name)) Processes.Add(name);
        return Ensure(ProcessTrack(name), TrackKind.Process, name, name);
    }

    public static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A duration as people say it: 45 s, 20 ms, 1.5 s.</summary>
    public static string Duration(double ms) =>
        Math.Abs(ms) >= 1000 ? (ms / 1000).ToString("0.###", CultureInfo.InvariantCulture) + " s" : Ms(ms) + " ms";

    public static RunPicture Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var p = new RunPicture(report);
        p.Build();
        return p;
    }

    private sealed record Open(string Track, string Style, string Name, double StartMs, string Detail, int Depth);

    private void Build()
    {
        var end = EndMs;
        var calls = new Dictionary<(string Process, long Call), (double Ms, string Args, string? Thread)>();
        var leases = new Dictionary<(string Path, long Ofd), Open>();
        var breaking = new Dictionary<(string Path, long Ofd), Open>();
        var handlers = new Dictionary<string, Stack<Open>>();
        var regions = new Dictionary<string, Open>();
        var pendingPasses = new Queue<(string Process, string Socket, double Ms)>();
        var pendingSignals = new Dictionary<(string Process, string Signal), Queue<(string Track, double Ms)>>();
        long flowId = 0;
        double interesting = 0;

        foreach (var entry in Report.Trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            var t = entry.Time.TotalMilliseconds;
            var proc = e["process"] as string;
            var mark = true;
            switch (e.Kind)
            {
                case "process.created":
                    Process(proc!);
                    mark = false;
                    break;
                case "process.exited":
                    Process(proc!);
                    Instants.Add(new Instant(ProcessTrack(proc!), "exit", e["signal"] is string sig ? "killed by " + sig : "exit " + e.Number("status"), t,
                        e["signal"] is string s2 ? $"{proc} exits, killed by {s2}" : $"{proc} exits ({e.Number("status")})"));
                    mark = false;
                    break;
                case "syscall.enter":
                    calls[(proc!, e.Number("call"))] = (t, e.Str("args"), e["thread"] as string);
                    mark = false;
                    break;
                case "syscall.exit":
                {
                    var key = (proc!, e.Number("call"));
                    var (start, args, _) = calls.Remove(key, out var c) ? c : (e.Number("enteredUs") / 1000.0, "", null);
                    var result = e["errno"] as string ?? e.Number("value").ToString(CultureInfo.InvariantCulture);
                    var label = e["label"] is string l ? $" [{l}]" : "";
                    var name = e.Str("name") + label;
                    Spans.Add(new Span(CallTrack(proc!, e["thread"] as string), t > start ? "blocked" : "syscall", name, start, t, false, 0,
                        $"{proc}: {e.Str("name")}({args}){label} → {result}" + (t > start ? $"; blocked {Duration(t - start)} ({Ms(start)} → {Ms(t)} ms)" : $" at {Ms(t)} ms")));
                    break;
                }
                case "lease.added":
                {
                    var track = Ensure(LeaseTrack(e.Str("path"), e.Number("ofd")), TrackKind.Lease, "kernel", $"{e.Str("path")} lease (ofd {e.Number("ofd")})");
                    leases[(e.Str("path"), e.Number("ofd"))] = new Open(track, "lease", $"{e.Str("type")} lease", t,
                        $"{e.Str("type")} {e.Str("class").ToLowerInvariant()} on {e.Str("path")} through description {e.Number("ofd")}, taken by {proc} at {Ms(t)} ms", 0);
                    break;
                }
                case "lease.changed":
                {
                    var k = (e.Str("path"), e.Number("ofd"));
                    if (leases.TryGetValue(k, out var o))
                        Instants.Add(new Instant(o.Track, "label", $"{e.Str("from")} → {e.Str("to")}", t, $"lease {e.Str("from")} → {e.Str("to")} ({e.Str("reason")}) at {Ms(t)} ms"));
                    break;
                }
                case "lease.break":
                {
                    var k = (e.Str("path"), e.Number("ofd"));
                    var track = Ensure(LeaseTrack(k.Item1, k.Item2), TrackKind.Lease, "kernel", $"{k.Item1} lease (ofd {k.Item2})");
                    var deadline = e.Number("deadlineUs") / 1000.0;
                    breaking[k] = new Open(track, "breaking", "breaking", t,
                        $"{e.Str("breaker")} breaks the lease on {k.Item1} at {Ms(t)} ms; deadline {(deadline == 0 ? "never" : Ms(deadline) + " ms")}", 1);
                    if (deadline > 0)
                    {
                        Deadlines.Add(new Deadline(track, deadline, $"break deadline {k.Item1}"));
                    }
                    break;
                }
                case "lease.removed":
                {
                    var k = (e.Str("path"), e.Number("ofd"));
                    if (breaking.Remove(k, out var b))
                        Spans.Add(new Span(b.Track, b.Style, b.Name, b.StartMs, t, false, 1, b.Detail + $"; over at {Ms(t)} ms ({e.Str("reason")})"));
                    if (leases.Remove(k, out var o))
                        Spans.Add(new Span(o.Track, o.Style, o.Name, o.StartMs, t, false, 0, o.Detail + $"; removed at {Ms(t)} ms ({e.Str("reason")})"));
                    break;
                }
                case "breaker.blocked":
                    Process(proc!);
                    mark = false;
                    break;
                case "signal.sent":
                {
                    var to = e.Str("to");
                    var from = e["ofd"] is long ofd && FindLeaseTrack(ofd) is { } lt ? lt : Ensure(KernelTrack, TrackKind.Kernel, "kernel", "kernel");
                    Instants.Add(new Instant(from, "signal-sent", $"{e.Str("signal")} → {to}", t, $"{e.Str("signal")} sent to {to} ({e.Str("reason")}) at {Ms(t)} ms"));
                    var q = pendingSignals.TryGetValue((to, e.Str("signal")), out var qq) ? qq : pendingSignals[(to, e.Str("signal"))] = new();
                    q.Enqueue((from, t));
                    break;
                }
                case "signal.lost":
                {
                    var track = e["ofd"] is long ofd && FindLeaseTrack(ofd) is { } lt ? lt : Ensure(KernelTrack, TrackKind.Kernel, "kernel", "kernel");
                    Instants.Add(new Instant(track, "signal-lost", "signal lost", t,
                        $"the break signal for description {e["ofd"]} reaches nobody: {e.Str("reason")} (owner {e.Str("owner")}) at {Ms(t)} ms"));
                    break;
                }
                case "signal.delivered":
                {
                    var track = Process(proc!);
                    Instants.Add(new Instant(track, "signal-delivered", e.Str("signal"), t, $"{proc} gets {e.Str("signal")}: {e.Str("action")} at {Ms(t)} ms"));
                    if (pendingSignals.TryGetValue((proc!, e.Str("signal")), out var q) && q.Count > 0)
                    {
                        var (fromTrack, fromMs) = q.Dequeue();
                        Flows.Add(new Flow(++flowId, "signal", fromTrack, fromMs, track, t, e.Str("signal")));
                    }
                    break;
                }
                case "handler.start":
                {
                    Process(proc!);
                    var track = Ensure(HandlerTrack(proc!), TrackKind.Handler, proc!, proc + " handlers");
                    var stack = handlers.TryGetValue(proc!, out var st) ? st : handlers[proc!] = new();
                    stack.Push(new Open(track, "handler", e.Str("signal") + " handler", t, $"{proc}'s {e.Str("signal")} handler starts at {Ms(t)} ms", stack.Count));
                    break;
                }
                case "handler.end":
                    if (handlers.TryGetValue(proc!, out var hs) && hs.Count > 0)
                    {
                        var o = hs.Pop();
                        Spans.Add(new Span(o.Track, o.Style, o.Name, o.StartMs, t, false, o.Depth, o.Detail + $", ends at {Ms(t)} ms ({e.Str("outcome")})"));
                    }
                    break;
                case "socket.sent":
                    if (e.Number("fds") > 0) pendingPasses.Enqueue((proc!, e.Str("socket"), t));
                    break;
                case "fd.installed":
                    if (e.Str("via") == "scm_rights" && pendingPasses.Count > 0)
                    {
                        var (from, socket, fromMs) = pendingPasses.Dequeue();
                        Flows.Add(new Flow(++flowId, "fd", Process(from), fromMs, Process(proc!), t, $"fd over {socket} (description {e.Number("ofd")})"));
                        Instants.Add(new Instant(ProcessTrack(proc!), "label", "fd received", t, $"{proc} receives description {e.Number("ofd")} of {e.Str("path")} from {from} over {socket} at {Ms(t)} ms (fd {e.Number("fd")})"));
                    }
                    else mark = false;
                    break;
                case "region.registered":
                {
                    var track = Ensure(RegionTrack(e.Str("region")), TrackKind.Region, "kernel", $"region {e.Str("region")}");
                    regions[e.Str("region")] = new Open(track, "region", (e["odp"] is true ? "ODP " : "pinned ") + e.Str("region"), t,
                        $"region {e.Str("region")} of {proc} on {e.Str("path")} registered at {Ms(t)} ms" + (e["odp"] is true ? " (on-demand paging, pins nothing)" : ""), 0);
                    break;
                }
                case "region.torndown":
                {
                    if (regions.Remove(e.Str("region"), out var o))
                        Spans.Add(new Span(o.Track, o.Style, o.Name, o.StartMs, t, false, 0, o.Detail + $"; torn down at {Ms(t)} ms ({e.Str("why")})"));
                    Instants.Add(new Instant(RegionTrack(e.Str("region")), "teardown", "torn down", t, $"region {e.Str("region")} on {e.Str("path")} torn down at {Ms(t)} ms ({e.Str("why")})"));
                    break;
                }
                case "region.refused":
                    Instants.Add(new Instant(Process(proc!), "refused", "region refused", t, $"{proc} cannot register region {e.Str("region")}: {e.Str("errno")} ({e.Str("why")})"));
                    break;
                case "region.invalidated":
                    Instants.Add(new Instant(Ensure(RegionTrack(e.Str("region")), TrackKind.Region, "kernel", $"region {e.Str("region")}"), "label", "invalidated", t,
                        $"region {e.Str("region")}: device mapping of {e.Number("blocks")} blocks invalidated at {Ms(t)} ms"));
                    break;
                case "layout.change":
                {
                    var d = e.Number("deadlineUs") / 1000.0;
                    if (d > 0)
                    {
                        Deadlines.Add(new Deadline(Process(proc!), d, $"{e.Str("op")} deadline {e.Str("path")}"));
                    }
                    break;
                }
                case "pass.refused":
                    Instants.Add(new Instant(Process(proc!), "refused", "pass refused", t, $"{proc}: sendmsg refused, description {e.Number("ofd")} carries pins ({e.Str("errno")})"));
                    break;
                case "policy.kill":
                    Instants.Add(new Instant(Process(proc!), "kill", "killed", t, $"{proc} killed by the policy: {e.Str("why")} at {Ms(t)} ms"));
                    break;
                case "fault":
                {
                    var owner = e["owner"] as string;
                    var fault = new Chaos.Fault(e.Str("kind"), e.Str("point"), owner ?? "", (int)e.Number("ordinal"), e["delayMs"] as double?, e.Str("detail"));
                    Instants.Add(new Instant(owner is { Length: > 0 } && Processes.Contains(owner) ? ProcessTrack(owner) : Ensure(KernelTrack, TrackKind.Kernel, "kernel", "kernel"),
                        "fault", e.Str("kind"), t, $"fault injected at {Ms(t)} ms: {fault}"));
                    break;
                }
                case "finding":
                    Instants.Add(new Instant(proc is { Length: > 0 } pp ? Process(pp) : Ensure(KernelTrack, TrackKind.Kernel, "kernel", "kernel"), "finding", e.Str("id"), t,
                        $"finding {e.Str("id")} at {Ms(t)} ms: {e.Str("detail")}"));
                    break;
                default:
                    mark = false;
                    break;
            }
            if (mark) interesting = Math.Max(interesting, t);
        }

        // What never ended: calls still blocked, leases still held, handlers still running, regions still registered.
        foreach (var ((process, _), (start, args, thread)) in calls)
        {
            var blocked = Report.Blocked.FirstOrDefault(b => b.Process == process && Math.Abs(b.SinceMs - start) < 1e-9);
            if (blocked is null) continue;
            Spans.Add(new Span(CallTrack(process, thread), "blocked", blocked.Call + (blocked.Label is { } l ? $" [{l}]" : ""), start, end, true, 0,
                $"{process}: {blocked.Call}({args}) still blocked when the run ended at {Ms(end)} ms (since {Ms(start)} ms)"));
            interesting = Math.Max(interesting, start);
        }
        foreach (var b in breaking.Values) Spans.Add(new Span(b.Track, b.Style, b.Name, b.StartMs, end, true, 1, b.Detail + "; still breaking at the end of the run"));
        foreach (var o in leases.Values) Spans.Add(new Span(o.Track, o.Style, o.Name, o.StartMs, end, true, 0, o.Detail + "; still held at the end of the run"));
        foreach (var s in handlers.Values) foreach (var o in s) Spans.Add(new Span(o.Track, o.Style, o.Name, o.StartMs, end, true, o.Depth, o.Detail + "; still running at the end of the run"));
        foreach (var o in regions.Values) Spans.Add(new Span(o.Track, o.Style, o.Name, o.StartMs, end, true, 0, o.Detail + "; still registered at the end of the run"));

        // The holders a break never reached, on their own lanes, and the headline.
        foreach (var b in Report.Breaks)
        {
            foreach (var holder in b.LeaseHolders.Where(h => !b.Notified.Contains(h)))
                Instants.Add(new Instant(Process(holder), "never-signalled", "never signalled", b.StartMs,
                    $"{holder} holds the lease on {b.Inode} (description {b.Ofd}) but the break signal never reached it"));
            var breaker = Spans.Where(s => s.Style == "blocked" && s.StartMs <= b.StartMs + 1e-9 && s.EndMs >= b.StartMs && s.Track.StartsWith("p:", StringComparison.Ordinal))
                .OrderByDescending(s => s.EndMs - s.StartMs).FirstOrDefault();
            var line = breaker is null
                ? $"break of {b.Inode} started at {Ms(b.StartMs)} ms"
                : $"{TrackOf(breaker.Track)!.Name}'s {breaker.Name} {(breaker.Open ? "was still waiting after" : "waited")} {Duration(breaker.EndMs - breaker.StartMs)}";
            line += b.DeadlineMs is { } dl ? $" (deadline {Duration(dl - b.StartMs)} after the break)" : " (no deadline)";
            var untold = b.LeaseHolders.Where(h => !b.Notified.Contains(h)).ToList();
            line += untold.Count > 0 ? $"; {string.Join(", ", untold)} held the lease and never got the signal" : b.Notified.IsEmpty ? "" : $"; signal reached {string.Join(", ", b.Notified)}";
            line += b.ReleasedMs is { } r ? $"; the lease went at {Duration(r)} ({b.ReleasedBy})" : "; the lease was never released";
            Headlines.Add(line);
            if (b.RegionsTornDownMs is { } td) interesting = Math.Max(interesting, td);
        }
        foreach (var c in Report.LayoutChanges)
            Headlines.Add($"{c.Process}'s {c.Op} of {c.Path} {(c.DoneMs is { } d ? $"returned after {Duration(d - c.StartMs)}" : "never returned")}" +
                          (c.DeadlineMs is { } dl ? $" (deadline {Duration(dl - c.StartMs)})" : "") + (c.WaitedFor is { } w ? $", waiting for {w}" : ""));

        // Deadlines far beyond the last event are drawn at the right edge, off scale, so that a short story stays readable.
        ViewEndMs = Math.Min(end, interesting <= 0 ? Math.Max(end, 1) : interesting * 1.15);
        if (ViewEndMs <= 0) ViewEndMs = 1;
        // Kernel tracks after the processes, processes in creation order with their threads and handlers under them.
        var order = _tracks.OrderBy(t => t.Kind switch
        {
            TrackKind.Process => Processes.IndexOf(t.Group) * 3,
            TrackKind.Thread => Processes.IndexOf(t.Group) * 3 + 1,
            TrackKind.Handler => Processes.IndexOf(t.Group) * 3 + 2,
            _ => 10_000,
        }).ToList(); // stable: threads and kernel objects keep the order they first appeared in
        _tracks.Clear();
        _tracks.AddRange(order);
    }

    private string? FindLeaseTrack(long ofd) => _tracks.LastOrDefault(t => t.Kind == TrackKind.Lease && t.Id.EndsWith("#" + ofd.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))?.Id;
}
