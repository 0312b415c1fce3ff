using LeaseActors.Campaigns;

namespace LeaseActors.Cli.Commands;

/// <summary>Runs made in this process, on <see cref="CampaignOptions.Parallel"/> threads (<see cref="CampaignRunner"/>).</summary>
internal sealed class LocalRuns : ICampaignRuns
{
    public TimeSpan Idle => TimeSpan.Zero;

    public long Run(CampaignOptions options, Func<long, bool>? skip, bool lines, Action<CampaignResult> onResult)
    {
        using var host = new EmulatorHost();
        return CampaignRunner.Run(host.System, options, run => onResult(CampaignResult.Of(run)), skip,
            format: lines ? CampaignResultsFile.Line : null);
    }

    public void Dispose()
    {
    }
}
