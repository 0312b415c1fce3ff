using System.Globalization;
using System.Text;
using LeaseActors.Judging;
using LeaseActors.Monitors;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Cli.Pictures;

/// <summary>
/// A run as a Mermaid <c>sequenceDiagram</c> short enough to paste into an issue: the processes and the files they
/// lease, the lease taken, fds passed, breaks, blocked calls (activations), signals delivered or lost, handlers,
/// regions, faults, findings and exits, with a note whenever virtual time moves on. Plain syscalls that neither
/// block nor fail are left out.
/// </summary>
internal static class MermaidSequence
{
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var processes = new List<string>();
        var files = new List<string>();
        foreach (var entry in report.Trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            if (e.Kind == "process.created" && e["process"] is string p && !processes.Contains(p)) processes.Add(p);
            if (e.Kind is "lease.added" or "lease.break" or "region.registered" or "layout.change" && e["path"] is string f && !files.Contains(f)) files.Add(f);
        }
        string P(string name) => "P" + processes.IndexOf(name).ToString(CultureInfo.InvariantCulture);
        string F(string path) => "F" + files.IndexOf(path).ToString(CultureInfo.InvariantCulture);

        var lines = new List<string>();
        var calls = new Dictionary<(string, long), (double Ms, bool Announced)>();
        var ofdPath = new Dictionary<long, string>();
        var untold = new List<string>();
        var signalSource = new Dictionary<(string, string), string>();
        var pendingPass = new Queue<(string From, string Socket)>();
        var span = processes.Count + files.Count > 1 ? $"{First()},{Last()}" : First();
        string First() => processes.Count > 0 ? P(processes[0]) : F(files[0]);
        string Last() => files.Count > 0 ? F(files[^1]) : P(processes[^1]);
        double now = 0;

        foreach (var entry in report.Trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            var t = entry.Time.TotalMilliseconds;
            var before = lines.Count;
            var proc = e["process"] as string;
            switch (e.Kind)
            {
                case "lease.added":
                    ofdPath[e.Number("ofd")] = e.Str("path");
                    lines.Add($"    {P(proc!)}->>{F(e.Str("path"))}: {e.Str("type")} {e.Str("class").ToLowerInvariant()} (description {e.Number("ofd")})");
                    break;
                case "socket.sent":
                    if (e.Number("fds") > 0) pendingPass.Enqueue((proc!, e.Str("socket")));
                    break;
                case "fd.installed" when e.Str("via") == "scm_rights" && pendingPass.Count > 0:
                {
                    var (from, socket) = pendingPass.Dequeue();
                    lines.Add($"    {P(from)}->>{P(proc!)}: fd over {Text(socket)} (description {e.Number("ofd")})");
                    break;
                }
                case "syscall.enter":
                    calls[(proc!, e.Number("call"))] = (t, false);
                    break;
                case "lease.break":
                {
                    var breaker = e.Str("breaker");
                    var d = e.Number("deadlineUs") / 1000.0;
                    lines.Add($"    {P(breaker)}->>{F(e.Str("path"))}: breaks the lease (deadline {(d == 0 ? "never" : "+" + RunPicture.Duration(d - t))})");
                    foreach (var b in report.Breaks.Where(b => b.Ofd == e.Number("ofd") && Math.Abs(b.StartMs - t) < 1e-6))
                        foreach (var holder in b.LeaseHolders.Where(h => !b.Notified.Contains(h) && processes.Contains(h)))
                            untold.Add($"    Note over {P(holder)}: holds the lease, never gets the break signal");
                    break;
                }
                case "breaker.blocked":
                {
                    var key = (proc!, e.Number("call"));
                    if (calls.TryGetValue(key, out var c) && !c.Announced)
                    {
                        calls[key] = (c.Ms, true);
                        lines.Add($"    activate {P(proc!)}");
                        lines.Add($"    Note over {P(proc!)}: blocked");
                    }
                    break;
                }
                case "syscall.exit":
                {
                    var key = (proc!, e.Number("call"));
                    var label = e["label"] is string l ? $" [{l}]" : "";
                    var result = e["errno"] as string ?? e.Number("value").ToString(CultureInfo.InvariantCulture);
                    if (calls.Remove(key, out var c) && (c.Announced || t > c.Ms))
                    {
                        if (!c.Announced) lines.Add($"    activate {P(proc!)}");
                        lines.Add($"    Note over {P(proc!)}: {Text(e.Str("name") + label)} → {Text(result)} after {RunPicture.Duration(t - c.Ms)}");
                        lines.Add($"    deactivate {P(proc!)}");
                    }
                    else if (e["errno"] is string err)
                        lines.Add($"    Note over {P(proc!)}: {Text(e.Str("name") + label)} → {Text(err)}");
                    break;
                }
                case "signal.sent":
                    if (e["ofd"] is long so && ofdPath.TryGetValue(so, out var sentPath)) signalSource[(e.Str("to"), e.Str("signal"))] = F(sentPath);
                    break;
                case "signal.delivered":
                    lines.Add($"    {signalSource.GetValueOrDefault((proc!, e.Str("signal")), files.Count > 0 ? F(files[0]) : span)}-->>{P(proc!)}: {e.Str("signal")} ({Text(e.Str("action"))})");
                    break;
                case "signal.lost":
                {
                    var owner = e.Str("owner");
                    var from = e["ofd"] is long o && ofdPath.TryGetValue(o, out var path) ? F(path) : files.Count > 0 ? F(files[0]) : P(owner);
                    lines.Add(processes.Contains(owner)
                        ? $"    {from}--x{P(owner)}: break signal lost ({Text(e.Str("reason"))})"
                        : $"    Note over {from}: break signal lost ({Text(e.Str("reason"))})");
                    break;
                }
                case "handler.start":
                    lines.Add($"    Note over {P(proc!)}: {e.Str("signal")} handler starts");
                    break;
                case "handler.end":
                    lines.Add($"    Note over {P(proc!)}: {e.Str("signal")} handler ends ({Text(e.Str("outcome"))})");
                    break;
                case "lease.removed":
                    lines.Add($"    Note over {F(e.Str("path"))}: lease removed ({Text(e.Str("reason"))})");
                    break;
                case "lease.changed":
                    lines.Add($"    Note over {F(e.Str("path"))}: lease {e.Str("from")} → {e.Str("to")}");
                    break;
                case "region.registered":
                    lines.Add($"    {P(proc!)}->>{F(e.Str("path"))}: registers region {Text(e.Str("region"))}{(e["odp"] is true ? " (ODP)" : " (pins)")}");
                    break;
                case "region.torndown":
                    lines.Add($"    Note over {F(e.Str("path"))}: region {Text(e.Str("region"))} torn down ({Text(e.Str("why"))})");
                    break;
                case "region.refused":
                    lines.Add($"    {F(e.Str("path"))}--x{P(proc!)}: region {Text(e.Str("region"))} refused ({e.Str("errno")})");
                    break;
                case "layout.change":
                    lines.Add($"    {P(proc!)}->>{F(e.Str("path"))}: {Text(e.Str("op"))} (layout change)");
                    break;
                case "pass.refused":
                    lines.Add($"    Note over {P(proc!)}: sendmsg refused ({e.Str("errno")})");
                    break;
                case "policy.kill":
                    lines.Add($"    Note over {P(proc!)}: killed by the policy");
                    break;
                case "fault":
                    lines.Add($"    Note over {(e["owner"] is string o2 && processes.Contains(o2) ? P(o2) : span)}: fault: {Text(e.Str("kind"))} at {Text(e.Str("point"))}");
                    break;
                case "finding":
                    lines.Add($"    Note over {(e["process"] is string fp && processes.Contains(fp) ? P(fp) : span)}: finding {e.Str("id")}");
                    break;
                case "process.exited":
                    lines.Add($"    Note over {P(proc!)}: {(e["signal"] is string sig ? "killed by " + sig : "exits")}");
                    break;
            }
            if (untold.Count > 0 && e.Kind is "signal.lost" or "breaker.blocked" && report.Breaks.Any())
            {
                if (e.Kind == "signal.lost" || !report.Trace.Entries.Any(x => x.Event is Simulation.Tracing.TraceEvent { Kind: "signal.lost" }))
                {
                    lines.AddRange(untold);
                    untold.Clear();
                }
            }
            if (lines.Count > before && t > now)
            {
                lines.Insert(before, $"    Note over {span}: t = {RunPicture.Duration(t)}");
                now = t;
            }
        }

        lines.AddRange(untold);
        var sb = new StringBuilder();
        sb.Append("sequenceDiagram\n");
        sb.Append(CultureInfo.InvariantCulture, $"    %% {Text(report.Topology)}, policy {report.Policy}, seed {report.Seed}: verdict {report.Verdict.Name()}, worst slack {(report.WorstSlackMs is { } s ? RunPicture.Duration(s) : "n/a")}\n");
        foreach (var p in processes) sb.Append(CultureInfo.InvariantCulture, $"    participant {P(p)} as {Text(p)}\n");
        foreach (var f in files) sb.Append(CultureInfo.InvariantCulture, $"    participant {F(f)} as {Text(f)}\n");
        foreach (var line in lines) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>Text Mermaid takes literally in a message or note (no ; # or line breaks).</summary>
    private static string Text(string s) => s.Replace(";", ",", StringComparison.Ordinal).Replace("#", "no. ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
