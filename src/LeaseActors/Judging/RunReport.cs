using System.Collections.Immutable;
using LeaseActors.Monitors;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Judging;

/// <summary>
/// The judged result of one run: the run-result object of DESIGN.md §5 (stable camelCase names in JSON, see
/// <see cref="RunReportJson"/>) plus the trace it was judged from.
/// </summary>
public sealed record RunReport
{
    /// <summary>Version of the JSON shape; bumped on any incompatible change.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The topology's name.</summary>
    public required string Topology { get; init; }

    /// <summary>The policy the run used.</summary>
    public required string Policy { get; init; }

    /// <summary>The run's seed (what <c>replay --seed</c> takes).</summary>
    public required ulong Seed { get; init; }

    /// <summary>The most severe verdict seen.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary><c>quiescence</c>, <c>horizon</c> or <c>step-limit</c>.</summary>
    public required string EndedBy { get; init; }

    /// <summary>Virtual time at the end of the run.</summary>
    public required double VirtualTimeMs { get; init; }

    /// <summary>Number of trace events.</summary>
    public required int Events { get; init; }

    /// <summary>SHA-256 of the canonical trace.</summary>
    public required string TraceSha256 { get; init; }

    /// <summary>Every lease break.</summary>
    public ImmutableArray<BreakRecord> Breaks { get; init; } = [];

    /// <summary>Policy rules broken, each naming its rule (empty under mainline, which has no pins).</summary>
    public ImmutableArray<string> Violations { get; init; } = [];

    /// <summary>Pins, passes and layout changes refused with an errno, one line each.</summary>
    public ImmutableArray<string> Refusals { get; init; } = [];

    /// <summary>Processes the policy killed to recover, one line each.</summary>
    public ImmutableArray<string> Kills { get; init; } = [];

    /// <summary>Layout changes (truncate, punch hole) with their deadlines and outcomes.</summary>
    public ImmutableArray<LayoutChangeRecord> LayoutChanges { get; init; } = [];

    /// <summary>RDMA memory regions with their lifetimes and DMA accounting.</summary>
    public ImmutableArray<RegionRecord> Regions { get; init; } = [];

    /// <summary>Faults the chaos plan (or script) injected, in the order they happened.</summary>
    public ImmutableArray<Chaos.Fault> Faults { get; init; } = [];

    /// <summary>The scheduling choices the run made (what a replay strategy follows); not part of the JSON object.</summary>
    public ImmutableArray<int> Choices { get; init; } = [];

    /// <summary>Hazards seen (H2–H9).</summary>
    public ImmutableArray<Finding> Findings { get; init; } = [];

    /// <summary>Syscalls still in progress when the run ended (process, call, label, since when).</summary>
    public ImmutableArray<BlockedCall> Blocked { get; init; } = [];

    /// <summary>
    /// The run's worst slack: the least of its breaks' slacks and its layout changes' (deadline minus return, or minus
    /// the end of the run while still waiting); null when neither had a deadline and an end.
    /// </summary>
    public double? WorstSlackMs
    {
        get
        {
            double? worst = null;
            foreach (var b in Breaks)
                if (b.SlackMs is { } s && (worst is null || s < worst)) worst = s;
            foreach (var c in LayoutChanges)
            {
                if (c.DeadlineMs is not { } d) continue;
                var s = Math.Round(d - (c.DoneMs ?? VirtualTimeMs), 3);
                if (worst is null || s < worst) worst = s;
            }
            return worst;
        }
    }

    /// <summary>Whether the topology's expectation applied and was met.</summary>
    public required ExpectationResult Expectation { get; init; }

    /// <summary>The run's trace (not part of the JSON object; <c>--trace-out</c> writes it).</summary>
    public required RunTrace Trace { get; init; }
}

/// <summary>A syscall that had not returned when the run ended.</summary>
public sealed record BlockedCall(string Process, string Call, string? Label, double SinceMs);

/// <summary>The outcome of comparing a run with its topology's expectation.</summary>
/// <param name="Applicable">False when no expectation applies to the run's policy (reported, not judged).</param>
/// <param name="Met">True when every stated expectation held; null when not applicable.</param>
/// <param name="Differences">What differed, one line each.</param>
public sealed record ExpectationResult(bool Applicable, bool? Met, ImmutableArray<string> Differences)
{
    /// <summary>No expectation applies.</summary>
    public static ExpectationResult None { get; } = new(false, null, []);
}
