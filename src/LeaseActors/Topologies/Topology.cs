using System.Collections.Immutable;
using LeaseActors.Chaos;
using LeaseActors.Kernel;

namespace LeaseActors.Topologies;

/// <summary>
/// A parsed topology file: the scenario to run, the policy it names, how long to run it, what it expects, and
/// its chaos plan.
/// </summary>
public sealed record Topology
{
    /// <summary>The topology's name (its file name without extension unless the file sets <c>name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The file it came from, or a label such as <c>(built-in)</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The header comment or <c>description</c>: what the topology shows.</summary>
    public string Description { get; init; } = "";

    /// <summary>Files, processes, sockets and sysctls.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The policy the file names, or null (then <c>mainline</c> unless the command line says otherwise).</summary>
    public string? Policy { get; init; }

    /// <summary>Virtual time after which the run stops and reports what is still blocked. Default 1 h.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Expectations keyed by policy name; the key <see cref="Expectation.Unkeyed"/> ("") holds the unkeyed block,
    /// which applies to the topology's own policy.
    /// </summary>
    public ImmutableDictionary<string, Expectation> Expectations { get; init; } = ImmutableDictionary<string, Expectation>.Empty;

    /// <summary>The <c>chaos</c> block as HOCON text, if any.</summary>
    public string? Chaos { get; init; }

    /// <summary>The faults the topology's own <c>chaos</c> block injects (<see cref="ChaosPlan.None"/> without one); <c>--chaos F</c> replaces it.</summary>
    public ChaosPlan ChaosPlan { get; init; } = ChaosPlan.None;

    /// <summary>Every process name of the topology, forked children included.</summary>
    public ImmutableArray<string> ProcessNames { get; init; } = [];

    /// <summary>
    /// The expectation that applies to a run under <paramref name="policy"/>: the block keyed by that policy, else the
    /// unkeyed block if <paramref name="policy"/> is the topology's own policy; null when none applies.
    /// </summary>
    public Expectation? ExpectationFor(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Expectations.TryGetValue(policy, out var keyed)) return keyed;
        var own = Policy ?? "mainline";
        return policy == own && Expectations.TryGetValue(Expectation.Unkeyed, out var unkeyed) ? unkeyed : null;
    }
}

/// <summary>What a topology expects of a run: the verdict, results of labelled steps, signals, findings.</summary>
public sealed record Expectation
{
    /// <summary>The key of the block that is not keyed by a policy.</summary>
    public const string Unkeyed = "";

    /// <summary>The expected verdict (<c>clean</c>, <c>late</c>, …), or null when not stated.</summary>
    public string? Verdict { get; init; }

    /// <summary>Expected results of labelled steps.</summary>
    public ImmutableArray<StepExpectation> Steps { get; init; } = [];

    /// <summary>Per process, the exact list of signals it must have received (handled, defaulted or ignored), in order.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Signals { get; init; } = ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    /// <summary>The exact set of finding ids the run must show, or null when not stated.</summary>
    public ImmutableArray<string>? Findings { get; init; }
}

/// <summary>
/// The expected outcome of the step labelled <paramref name="Label"/> in <paramref name="Process"/>: success
/// (<c>Ok</c>), a return value, an errno, how long it was blocked, or that it
/// never completed (<c>Completes</c> false: still blocked at the end).
/// </summary>
public sealed record StepExpectation(string Process, string Label)
{
    /// <summary>True: the step succeeded; false: it failed (with any errno); null: not stated.</summary>
    public bool? Ok { get; init; }

    /// <summary>The exact return value.</summary>
    public long? Value { get; init; }

    /// <summary>The errno it failed with (<c>EAGAIN</c>, …).</summary>
    public string? Errno { get; init; }

    /// <summary>How long the call was blocked (virtual time from entry to return).</summary>
    public TimeSpan? Blocked { get; init; }

    /// <summary>Whether the step completes before the run ends (false: it must still be blocked). Default true.</summary>
    public bool Completes { get; init; } = true;
}
