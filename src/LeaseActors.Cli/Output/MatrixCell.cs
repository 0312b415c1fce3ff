using LeaseActors.Judging;

namespace LeaseActors.Cli.Output;

/// <summary>
/// One cell of <c>leaseactors matrix</c>: what a run of one topology under one policy showed, reduced to what the
/// table and the JSON array print (the run's trace is not kept, so a large matrix holds little memory).
/// </summary>
/// <param name="Topology">The row label: the topology's name, or its file when two given topologies share a name.</param>
/// <param name="File">The file the topology came from, as given (or the built-in label).</param>
/// <param name="Policy">The policy the run used.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Verdict">The run's verdict.</param>
/// <param name="SlackMs">The worst (minimum) slack over the run's breaks; null when no break has a known slack.</param>
/// <param name="Breaks">How many breaks the run had.</param>
/// <param name="EndedBy"><c>quiescence</c>, <c>horizon</c> or <c>step-limit</c>.</param>
/// <param name="TraceSha256">SHA-256 of the run's canonical trace.</param>
/// <param name="Expectation">Whether an expectation applied to this policy and was met.</param>
internal sealed record MatrixCell(
    string Topology, string File, string Policy, ulong Seed, Verdict Verdict, double? SlackMs, int Breaks,
    string EndedBy, string TraceSha256, ExpectationResult Expectation)
{
    /// <summary>True when an expectation applied to the cell and was not met.</summary>
    public bool Failed => Expectation.Applicable && Expectation.Met != true;

    /// <summary>The cell of <paramref name="report"/>, shown in row <paramref name="topology"/>.</summary>
    public static MatrixCell From(string topology, string file, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new MatrixCell(topology, file, report.Policy, report.Seed, report.Verdict, WorstSlack(report.Breaks),
            report.Breaks.Length, report.EndedBy, report.TraceSha256, report.Expectation);
    }

    /// <summary>The minimum known slack of <paramref name="breaks"/> (the break closest to, or furthest past, its deadline); null when none is known.</summary>
    public static double? WorstSlack(IEnumerable<BreakRecord> breaks)
    {
        ArgumentNullException.ThrowIfNull(breaks);
        double? worst = null;
        foreach (var b in breaks)
            if (b.SlackMs is { } s && (worst is null || s < worst)) worst = s;
        return worst;
    }
}
