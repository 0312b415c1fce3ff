using System.Collections.Immutable;

namespace LeaseActors.Chaos;

/// <summary>
/// One fault injected into a run: a delay, a crash or a dropped signal, at the <see cref="Ordinal"/>-th occasion of
/// its <see cref="Point"/> in <see cref="Owner"/> (a process or a socket). The triple (point, owner, ordinal) names the
/// occasion, so a <see cref="FaultScript"/> can inject exactly these faults again, or a subset of them (shrinking).
/// </summary>
/// <param name="Kind"><c>delay</c>, <c>crash</c> or <c>drop</c>.</param>
/// <param name="Point"><c>signal-delivery</c>, <c>handler</c>, <c>socket</c>, <c>syscall</c>, <c>dma</c>, <c>crash</c> or <c>drop</c>.</param>
/// <param name="Owner">The process (or socket) where it happened.</param>
/// <param name="Ordinal">Which occasion of that point in that owner (0-based).</param>
/// <param name="DelayMs">For a delay, its length in milliseconds (microsecond precision).</param>
/// <param name="Detail">What it hit: a signal name, a syscall and its label, a region.</param>
public sealed record Fault(string Kind, string Point, string Owner, int Ordinal, double? DelayMs, string Detail)
{
    /// <summary>The occasion this fault names.</summary>
    public (string Point, string Owner, int Ordinal) Key => (Point, Owner, Ordinal);

    /// <inheritdoc />
    public override string ToString() =>
        Kind switch
        {
            "delay" => $"{Point} delay {DelayMs:0.###} ms in {Owner} (#{Ordinal}, {Detail})",
            "crash" => $"crash of {Owner} before step #{Ordinal} ({Detail})",
            _ => $"{Detail} to {Owner} dropped (#{Ordinal})",
        };
}

/// <summary>
/// Faults to inject instead of sampling a plan: each occasion named by a fault gets exactly that fault, every other
/// occasion gets none. Replays a campaign run's faults, or a subset of them while shrinking.
/// </summary>
public sealed record FaultScript(ImmutableArray<Fault> Faults)
{
    private readonly Dictionary<(string, string, int), Fault> _byKey = Faults.ToDictionary(f => f.Key);

    /// <summary>The fault scripted for an occasion, if any.</summary>
    public Fault? At(string point, string owner, int ordinal) => _byKey.GetValueOrDefault((point, owner, ordinal));
}

/// <summary>What a kernel run injects: a plan sampled from <see cref="Seed"/>, or a fixed script.</summary>
/// <param name="Plan">The plan (its rules also decide which occasions exist when a script is given).</param>
/// <param name="Seed">The run's seed; each owner samples from its own stream derived from it.</param>
/// <param name="Script">When set, exactly these faults are injected and nothing is sampled.</param>
public sealed record ChaosSettings(ChaosPlan Plan, ulong Seed, FaultScript? Script = null)
{
    /// <summary>True when nothing can be injected.</summary>
    public bool IsInert => Script is null ? Plan.IsEmpty : Script.Faults.IsEmpty;
}
