using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Kernel;
using LeaseActors.Monitors;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Topologies;

namespace LeaseActors.Judging;

/// <summary>
/// The monitors of one run, attached to its trace before the run starts, and the judgement made from them when it
/// ends: the verdict (DESIGN.md §4), the breaks, findings, still-blocked calls, and the expectation check.
/// </summary>
public sealed class RunJudge
{
    private readonly FindingsMonitor _findings;
    private readonly BreakMonitor _breaks;
    private readonly RegionMonitor _regions;

    /// <summary>Attaches the monitors to <paramref name="trace"/> of a run under <paramref name="policy"/> (default mainline).</summary>
    public RunJudge(RunTrace trace, KernelPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        // One view of who holds what, updated before any monitor sees the event, instead of one per monitor.
        var holdings = new Holdings();
        trace.Subscribe(entry =>
        {
            if (entry.Event is not TraceEvent e) return;
            holdings.Apply(e);
            if (e.Kind == "fault")
                _faults.Add(new Chaos.Fault(e.Str("kind"), e.Str("point"), e.Str("owner"), (int)e.Number("ordinal"), e["delayMs"] as double?, e.Str("detail")));
        });
        _findings = new FindingsMonitor(trace, holdings);
        _breaks = new BreakMonitor(trace, holdings);
        _regions = new RegionMonitor(trace, policy ?? KernelPolicies.Mainline, holdings);
    }

    private readonly List<Chaos.Fault> _faults = [];

    /// <summary>Judges the finished run.</summary>
    public RunReport Judge(RunResult run, Topology topology, string policy)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(topology);
        var endedBy = run.EndedBy switch
        {
            RunEndReason.Quiescence => "quiescence",
            RunEndReason.Horizon => "horizon",
            _ => "step-limit",
        };
        return Judge(run.Trace, run.VirtualTime, endedBy, run.Seed, run.Choices, run.TraceSha256, topology, policy);
    }

    /// <summary>
    /// Judges a run that was not made by a simulation driver (a real-time run): its sealed <paramref name="trace"/>,
    /// the kernel time <paramref name="end"/> at which it was stopped and why (<paramref name="endedBy"/>).
    /// </summary>
    public RunReport Judge(RunTrace trace, TimeSpan end, string endedBy, ulong seed, Topology topology, string policy)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(endedBy);
        ArgumentNullException.ThrowIfNull(topology);
        return Judge(trace, end, endedBy, seed, [], trace.ComputeSha256(), topology, policy);
    }

    private RunReport Judge(RunTrace trace, TimeSpan end, string endedBy, ulong seed, ImmutableArray<int> choices, string sha, Topology topology, string policy)
    {
        var endMs = end.TotalMilliseconds;
        var breaks = _breaks.Breaks();
        var blocked = StillBlocked(trace);
        var verdict = Verdict.Clean;
        if (_regions.Refusals.Count > 0) verdict = Max(verdict, Verdict.Refused);
        if (breaks.Any(b => b.IsLate(endMs)) || _regions.LayoutChanges.Any(c => c.IsLate(endMs))) verdict = Max(verdict, Verdict.Late);
        if (_regions.Kills.Count > 0) verdict = Max(verdict, Verdict.Killed);
        if (_regions.Violations.Count > 0) verdict = Max(verdict, Verdict.Violation);
        if (_breaks.Blocked.Count > 0) verdict = Max(verdict, Verdict.Hang);
        if (_regions.Corrupted) verdict = Max(verdict, Verdict.Corruption);
        _regions.NoteHeldCloses(_breaks.Blocked);

        var report = new RunReport
        {
            Topology = topology.Name,
            Policy = policy,
            Seed = seed,
            Verdict = verdict,
            EndedBy = endedBy,
            VirtualTimeMs = endMs,
            Events = trace.Entries.Count,
            TraceSha256 = sha,
            Breaks = breaks,
            Findings = [.. _findings.Findings.Concat(_regions.Findings).OrderBy(f => f.Time)],
            Violations = [.. _regions.Violations],
            Refusals = [.. _regions.Refusals],
            Kills = [.. _regions.Kills],
            LayoutChanges = [.. _regions.LayoutChanges],
            Regions = _regions.Regions(endMs),
            Faults = [.. _faults],
            Choices = choices,
            Blocked = blocked,
            Expectation = ExpectationResult.None,
            Trace = trace,
        };
        var expectation = topology.ExpectationFor(policy);
        return expectation is null ? report : report with { Expectation = Check(expectation, report) };
    }

    private static Verdict Max(Verdict a, Verdict b) => (int)a >= (int)b ? a : b;

    private static ImmutableArray<BlockedCall> StillBlocked(RunTrace trace)
    {
        var open = new Dictionary<(string, long), (TraceEvent Event, TimeSpan Time)>();
        var exited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            switch (e.Kind)
            {
                case "syscall.enter": open[(e.Str("process"), e.Number("call"))] = (e, entry.Time); break;
                case "syscall.exit": open.Remove((e.Str("process"), e.Number("call"))); break;
                case "process.exited": exited.Add(e.Str("process")); break;
            }
        }
        return
        [
            .. open.Values.Where(o => !exited.Contains(o.Event.Str("process")))
                .OrderBy(o => o.Time).ThenBy(o => o.Event.Str("process"), StringComparer.Ordinal)
                .Select(o => new BlockedCall(o.Event.Str("process"), o.Event.Str("name"), o.Event["label"] as string, o.Time.TotalMilliseconds)),
        ];
    }

    /// <summary>Compares the run with <paramref name="expectation"/>; every difference is one line.</summary>
    public static ExpectationResult Check(Expectation expectation, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        ArgumentNullException.ThrowIfNull(report);
        var differences = new List<string>();
        if (expectation.Verdict is { } verdict && verdict != report.Verdict.Name())
            differences.Add($"verdict: expected {verdict}, got {report.Verdict.Name()}");

        var exits = new Dictionary<(string, string), (TraceEvent Event, TimeSpan Time)>();
        var entered = new HashSet<(string, string)>();
        var signals = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in report.Trace.Entries)
        {
            if (entry.Event is not TraceEvent e) continue;
            if (e.Kind == "syscall.exit" && e["label"] is string label) exits[(e.Str("process"), label)] = (e, entry.Time);
            else if (e.Kind == "syscall.enter" && e["label"] is string l2) entered.Add((e.Str("process"), l2));
            else if (e.Kind == "signal.delivered" && !e.Str("action").StartsWith("lost", StringComparison.Ordinal))
            {
                if (!signals.TryGetValue(e.Str("process"), out var list)) signals[e.Str("process")] = list = [];
                list.Add(e.Str("signal"));
            }
        }

        foreach (var step in expectation.Steps)
        {
            var name = $"{step.Process}.{step.Label}";
            if (!exits.TryGetValue((step.Process, step.Label), out var exit))
            {
                if (step.Completes) differences.Add(entered.Contains((step.Process, step.Label)) ? $"{name}: expected to complete, still blocked at the end" : $"{name}: never ran");
                continue;
            }
            if (!step.Completes)
            {
                differences.Add($"{name}: expected to be still blocked at the end, returned at {exit.Time.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
                continue;
            }
            var errno = exit.Event["errno"] as string;
            var value = exit.Event.Number("value");
            var took = exit.Time - TimeSpan.FromTicks(exit.Event.Number("enteredUs") * TimeSpan.TicksPerMicrosecond);
            var got = errno ?? value.ToString(CultureInfo.InvariantCulture);
            if (step.Ok == true && errno is not null) differences.Add($"{name}: expected success, got {errno}");
            if (step.Ok == false && errno is null) differences.Add($"{name}: expected an error, got {got}");
            if (step.Errno is { } expectedErrno && expectedErrno != errno) differences.Add($"{name}: expected {expectedErrno}, got {got}");
            if (step.Value is { } expectedValue && (errno is not null || expectedValue != value)) differences.Add($"{name}: expected value {expectedValue}, got {got}");
            if (step.Blocked is { } blockedFor && blockedFor != took)
                differences.Add($"{name}: expected to block {Format(blockedFor)}, blocked {Format(took)}");
        }

        // In name order: the dictionary's own order follows string hash codes, which differ from one process to the next.
        foreach (var (process, expected) in expectation.Signals.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var got = signals.TryGetValue(process, out var list) ? list : [];
            if (!got.SequenceEqual(expected))
                differences.Add($"{process}.signals: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got)}]");
        }

        if (expectation.Findings is { } findings)
        {
            var got = report.Findings.Select(f => f.Id).Distinct().Order(StringComparer.Ordinal).ToArray();
            var want = findings.Distinct().Order(StringComparer.Ordinal).ToArray();
            if (!got.SequenceEqual(want)) differences.Add($"findings: expected [{string.Join(", ", want)}], got [{string.Join(", ", got)}]");
        }
        return new ExpectationResult(true, differences.Count == 0, [.. differences]);
    }

    private static string Format(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
