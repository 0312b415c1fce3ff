using System.Collections.Immutable;
using LeaseActors.Judging;

namespace LeaseActors.Campaigns;

/// <summary>
/// What a campaign keeps of one finished run: the values its summary counts and, when there is one, its results line.
/// </summary>
/// <remarks>
/// A <see cref="CampaignRun"/> holds the whole judged report of a run made in this process; a
/// <see cref="CampaignResult"/> is what is left of it once it is a line of a results file, so it is the same whether the
/// run was made here (<see cref="Of"/>), read back from a file being resumed, or received as a line from another
/// machine (<see cref="CampaignResultsFile.Read"/>). A campaign's summary is built from these alone.
/// </remarks>
/// <param name="Run">The run's index i in the campaign.</param>
/// <param name="Seed">The run's own seed, <c>Derive(S, i)</c>.</param>
/// <param name="Verdict">Its verdict.</param>
/// <param name="WorstSlackMs">Its least slack, or null when it had no deadline.</param>
/// <param name="Faults">The kind and point of every fault injected into it.</param>
/// <param name="Line">Its results line (<see cref="CampaignResultsFile.Line"/>), or null when nobody asked for one.</param>
public sealed record CampaignResult(long Run, ulong Seed, Verdict Verdict, double? WorstSlackMs,
    ImmutableArray<(string Kind, string Point)> Faults, string? Line)
{
    /// <summary>The result of a run made here; its line is <see cref="CampaignRun.Formatted"/>.</summary>
    public static CampaignResult Of(CampaignRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var report = run.Report;
        return new CampaignResult(run.Index, report.Seed, report.Verdict, report.WorstSlackMs,
            [.. report.Faults.Select(f => (f.Kind, f.Point))], run.Formatted);
    }
}
