namespace LeaseActors.Judging;

/// <summary>A run's verdict (DESIGN.md §4). The numeric value is the severity; a run gets the most severe one seen.</summary>
public enum Verdict
{
    /// <summary>Every break was answered (and every region under it torn down) before its deadline.</summary>
    Clean = 0,
    /// <summary>A layout change, a pin or a pass was refused with an errno: safe, but unavailable.</summary>
    Refused = 1,
    /// <summary>A break or layout change did not complete by its deadline (removed or downgraded by the timeout, or waited longer).</summary>
    Late = 2,
    /// <summary>The policy killed a process to recover.</summary>
    Killed = 3,
    /// <summary>A policy rule was broken (e.g. pins held without a covering lease).</summary>
    Violation = 4,
    /// <summary>A breaker, close or layout change was still blocked when the run ended.</summary>
    Hang = 5,
    /// <summary>A block was freed or reused while a registered region still covered it.</summary>
    Corruption = 6,
}

/// <summary>Names of verdicts as files and results spell them.</summary>
public static class VerdictNames
{
    /// <summary>The lower-case name (<c>late</c>).</summary>
    public static string Name(this Verdict verdict) => verdict.ToString().ToLowerInvariant();

    /// <summary>Parses a lower-case verdict name; null when unknown.</summary>
    public static Verdict? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var v in Enum.GetValues<Verdict>())
            if (string.Equals(v.Name(), name.Trim(), StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }

    /// <summary>All names, least severe first.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<Verdict>().Select(v => v.Name())];
}
