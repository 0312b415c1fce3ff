using System.Globalization;
using LeaseActors.Judging;
using LeaseActors.Monitors;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Cli.Output;

/// <summary>Writes a run as a person reads it: a timeline (virtual ms, process, event), the breaks, the findings and the verdict.</summary>
internal static class Timeline
{
    public static void Write(TextWriter output, RunReport report, string description)
    {
        output.WriteLine($"{report.Topology} — policy {report.Policy}, seed {report.Seed}");
        if (!string.IsNullOrWhiteSpace(description))
            foreach (var line in description.Trim().Split('\n')) output.WriteLine("  " + line.Trim());
        output.WriteLine();
        output.WriteLine($"{"virtual ms",12}  {"process",-10} event");
        foreach (var entry in report.Trace.Entries)
        {
            if (entry.Event is not TraceEvent e || Describe(e) is not { } text) continue;
            output.WriteLine($"{Ms(entry.Time.TotalMilliseconds),12}  {Who(e),-10} {text}");
        }
        output.WriteLine();
        if (report.Breaks.Length == 0) output.WriteLine("breaks: none");
        foreach (var b in report.Breaks)
        {
            output.WriteLine($"break of the {(b.ToUnlock ? "write" : "read")} break on {b.Inode} (description {b.Ofd}):");
            output.WriteLine($"  started {Ms(b.StartMs)} ms, deadline {(b.DeadlineMs is { } d ? Ms(d) + " ms" : "never (lease-break-time 0)")}");
            output.WriteLine($"  lease held by [{string.Join(", ", b.LeaseHolders)}], signal reached [{string.Join(", ", b.Notified)}]" +
                             (b.Notified.IsEmpty ? "  <- nobody was told" : ""));
            if (!b.PinHolders.IsEmpty || b.RegionsTornDownMs is not null || b.RegionsPending)
                output.WriteLine($"  pins held by [{string.Join(", ", b.PinHolders)}], regions torn down {(b.RegionsTornDownMs is { } t ? $"at {Ms(t)} ms" : "never")}");
            output.WriteLine($"  released {(b.ReleasedMs is { } r ? $"at {Ms(r)} ms by {b.ReleasedBy}" : "never")}, slack {(b.SlackMs is { } s ? Ms(s) + " ms" : "n/a")}");
        }
        foreach (var c in report.LayoutChanges)
        {
            output.WriteLine($"layout change: {c.Op} of {c.Path} by {c.Process}:");
            output.WriteLine($"  started {Ms(c.StartMs)} ms, deadline {(c.DeadlineMs is { } d ? Ms(d) + " ms" : "never")}, " +
                             $"{(c.DoneMs is { } done ? $"returned at {Ms(done)} ms" : "never returned")}{(c.Errno is { } err ? " with " + err : "")}" +
                             (c.WaitedFor is { } w ? $" (waited for {w})" : ""));
        }
        foreach (var r in report.Regions)
        {
            output.WriteLine($"region {r.Name} of {r.Process} on {r.Path}: registered {Ms(r.RegisteredMs)} ms, torn down {(r.TornDownMs is { } t ? Ms(t) + " ms" : "never")}, " +
                             $"{r.DmaWrites} DMA writes" + (r.FreedUnderMs is { } f ? $"; its blocks were freed under it at {Ms(f)} ms: {r.DmaWritesIntoFreedBlocks} writes into blocks the file no longer owns" : ""));
        }
        foreach (var line in report.Refusals) output.WriteLine("refused: " + line);
        foreach (var line in report.Kills) output.WriteLine("killed: " + line);
        foreach (var line in report.Violations) output.WriteLine("violation: " + line);
        if (report.Blocked.Length > 0)
        {
            output.WriteLine("still blocked at the end:");
            foreach (var c in report.Blocked) output.WriteLine($"  {c.Process}: {c.Call}{(c.Label is null ? "" : $" ({c.Label})")} since {Ms(c.SinceMs)} ms");
        }
        if (report.Findings.Length > 0)
        {
            output.WriteLine("findings:");
            foreach (var f in report.Findings) output.WriteLine($"  {f.Id} at {Ms(f.Time.TotalMilliseconds)} ms: {f.Detail}");
        }
        output.WriteLine();
        output.WriteLine($"verdict: {report.Verdict.Name()}   (ended by {report.EndedBy} at {Ms(report.VirtualTimeMs)} ms, {report.Events} events, trace {report.TraceSha256[..16]}…)");
        var x = report.Expectation;
        if (!x.Applicable) output.WriteLine("expectation: none applies to this policy (reported, not judged)");
        else if (x.Met == true) output.WriteLine("expectation: met");
        else
        {
            output.WriteLine("expectation: NOT met");
            foreach (var d in x.Differences) output.WriteLine("  " + d);
        }
    }

    private static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Who(TraceEvent e) => e.Kind switch
    {
        "signal.sent" => e.Str("to"),
        "breaker.blocked" or "breaker.unblocked" => e.Str("process"),
        "lease.added" => e.Str("process"),
        "lease.break" => e.Str("breaker"),
        "finding" => e["process"] as string ?? "",
        _ => e["process"] as string is { Length: > 0 } p ? p : "kernel",
    };

    private static string? Describe(TraceEvent e) => e.Kind switch
    {
        "syscall.exit" => $"{e.Str("name")}{Label(e)} → {(e["errno"] as string ?? e.Number("value").ToString(CultureInfo.InvariantCulture))}",
        "breaker.blocked" => $"blocks breaking the lease on {e.Str("path")}",
        "breaker.unblocked" => $"unblocked ({e.Str("how")})",
        "lease.added" => $"takes a {e.Str("type")} lease on {e.Str("path")} (description {e.Number("ofd")})",
        "lease.changed" => $"lease on {e.Str("path")} (description {e.Number("ofd")}) {e.Str("from")} → {e.Str("to")} ({e.Str("reason")})",
        "lease.removed" => $"lease on {e.Str("path")} (description {e.Number("ofd")}) removed ({e.Str("reason")})",
        "lease.break" => $"breaks the lease on {e.Str("path")} held through description {e.Number("ofd")}; deadline {(e.Number("deadlineUs") == 0 ? "never" : Ms(e.Number("deadlineUs") / 1000.0) + " ms")}",
        "signal.sent" => $"is sent {e.Str("signal")} ({e.Str("reason")})",
        "signal.lost" => $"break signal for description {e.Number("ofd")} reaches nobody: {e.Str("reason")} (owner {e.Str("owner")})",
        "signal.delivered" => $"gets {e.Str("signal")}: {e.Str("action")}",
        "signal.pending" => $"{e.Str("signal")} {e.Str("state")}",
        "handler.start" => $"{e.Str("signal")} handler starts",
        "handler.end" => $"{e.Str("signal")} handler ends ({e.Str("outcome")})",
        "process.exited" => e["signal"] is string sig ? $"exits, killed by {sig}" : $"exits ({e.Number("status")})",
        "finding" => $"finding {e.Str("id")}: {e.Str("detail")}",
        "syscall.interrupted" => $"{e.Str("name")} interrupted ({(e["restart"] is true ? "restarts" : "EINTR")})",
        "region.registered" => $"registers region {e.Str("region")} on {e.Str("path")}: {(e["odp"] is true ? "on-demand paging, pins nothing" : $"pins {Count(e["blocks"])} blocks")}, DMA {e["dmaPerSecond"]}/s",
        "region.refused" => $"cannot register region {e.Str("region")}: {e.Str("errno")} ({e.Str("why")})",
        "region.torndown" => $"region {e.Str("region")} on {e.Str("path")} torn down ({e.Str("why")}); its pins are gone",
        "region.invalidated" => $"region {e.Str("region")}: device mapping of {e.Number("blocks")} blocks invalidated (ODP)",
        "blocks.freed" => $"{Count(e["blocks"])} blocks of {e.Str("path")} freed",
        "layout.change" => $"starts a {e.Str("op")} of {e.Str("path")} (layout change); deadline {(e.Number("deadlineUs") == 0 ? "never" : Ms(e.Number("deadlineUs") / 1000.0) + " ms")}",
        "layout.waiting" => $"{e.Str("path")}: layout change waits for {e.Str("what")}",
        "layout.done" => $"layout change of {e.Str("path")} {(e["errno"] is string err ? "fails " + err : "done")}",
        "pass.refused" => $"sendmsg refused: description {e.Number("ofd")} carries pins ({e.Str("errno")})",
        "policy.kill" => $"killed by the policy: {e.Str("why")}",
        "close.blocked" => $"last close of description {e.Number("ofd")} blocks: {e.Str("why")}",
        "close.unblocked" => $"last close of description {e.Number("ofd")} goes on",
        _ => null,
    };

    private static int Count(object? blocks) => blocks is System.Collections.ICollection c ? c.Count : 0;

    private static string Label(TraceEvent e) => e["label"] is string l ? $" [{l}]" : "";
}
