using LeaseActors.Campaigns;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// Where the runs of a <c>chaos</c> campaign come from. Everything else about a campaign — its inputs, the results file,
/// <c>--resume</c>, the progress, the summary, shrinking, the report — is the same whichever source makes the runs.
/// </summary>
internal interface ICampaignRuns
{
    /// <summary>
    /// Makes every run of <paramref name="options"/> for which <paramref name="skip"/> is false, calling
    /// <paramref name="onResult"/> as each finishes, one call at a time; with <paramref name="lines"/> each result carries its
    /// results line. Returns the number of runs made.
    /// </summary>
    long Run(CampaignOptions options, Func<long, bool>? skip, bool lines, Action<CampaignResult> onResult);
}

/// <summary>Runs made in this process, on <see cref="CampaignOptions.Parallel"/> threads (<see cref="CampaignRunner"/>).</summary>
internal sealed class LocalRuns : ICampaignRuns
{
    public long Run(CampaignOptions options, Func<long, bool>? skip, bool lines, Action<CampaignResult> onResult)
    {
        using var host = new EmulatorHost();
        return CampaignRunner.Run(host.System, options, run => onResult(CampaignResult.Of(run)), skip,
            format: lines ? CampaignResultsFile.Line : null);
    }
}
