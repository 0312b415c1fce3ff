namespace LeaseActors.Conformance.Fuzzing;

/// <summary>Placeholder.</summary>
public sealed class DifferentialFuzzer(ConformanceRunner runner)
{
    /// <summary>Placeholder.</summary>
    public FuzzOutcome Run(int count, ulong seed, Action<int, CaseResult>? progress = null) { _ = runner; _ = count; _ = seed; _ = progress; return new FuzzOutcome(); }
}

/// <summary>Placeholder.</summary>
public sealed record FuzzOutcome
{
    /// <summary>x</summary>
    public CaseResult? Counterexample { get; init; }
    /// <summary>x</summary>
    public string CounterexampleText { get; init; } = "";
    /// <summary>x</summary>
    public int FailedAt { get; init; }
    /// <summary>x</summary>
    public int OriginalSteps { get; init; }
    /// <summary>x</summary>
    public int ShrunkSteps { get; init; }
    /// <summary>x</summary>
    public int ShrinkRuns { get; init; }
    /// <summary>x</summary>
    public int Runs { get; init; }
    /// <summary>x</summary>
    public int Steps { get; init; }
}
