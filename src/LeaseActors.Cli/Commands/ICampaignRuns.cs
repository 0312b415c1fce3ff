using LeaseActors.Campaigns;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// Where the runs of a <c>chaos</c> campaign come from. Everything else about a campaign — its inputs, the results file,
/// <c>--resume</c>, the progress, the summary, shrinking, the report — is the same whichever source makes the runs.
/// </summary>
internal interface ICampaignRuns : IDisposable
{
    /// <summary>
    /// Makes every run of <paramref name="options"/> for which <paramref name="skip"/> is false, calling
    /// <paramref name="onResult"/> as each finishes, one call at a time; with <paramref name="lines"/> each result carries its
    /// results line. Returns the number of runs made.
    /// </summary>
    long Run(CampaignOptions options, Func<long, bool>? skip, bool lines, Action<CampaignResult> onResult);

    /// <summary>Time spent in <see cref="Run"/> before any run could start (waiting for workers), left out of the runs per second.</summary>
    TimeSpan Idle { get; }
}
