using Akka.Actor;
using LeaseActors.Campaigns;
using LeaseActors.Cluster.Campaigns.Internal;
using LeaseActors.Simulation;

namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// A chaos campaign whose runs are made by the workers of an Akka.Cluster: the coordinator hands out ranges of run
/// indices, workers make them with the single-machine machinery and stream the results lines back, and a worker that is
/// lost has its unfinished runs made elsewhere. The results are those of <see cref="CampaignRunner"/> on one machine
/// with the same seed: run i is made with seed <c>Derive(S, i)</c> wherever it is made, and received once.
/// </summary>
/// <remarks>
/// Contrast <see cref="CampaignRunner"/>, which makes every run in this process. The results come back as
/// <see cref="CampaignResult"/>s, exactly what a local campaign hands on when it writes a results file, so a caller
/// builds the same summary, file and report from either.
/// </remarks>
public static class ClusterCampaign
{
    /// <summary>
    /// Coordinates <paramref name="spec"/> on <paramref name="system"/> (a coordinator node from
    /// <see cref="CampaignCluster.Start"/>): makes every run not skipped, calling <paramref name="onResult"/> with each
    /// result and the node (<c>host:port</c>) that made it as it arrives, and <paramref name="onMessage"/> with a line for
    /// the user when a worker joins or is lost; both on the calling thread, one call at a time. Returns where the runs
    /// were made. One campaign per ActorSystem.
    /// </summary>
    /// <exception cref="LeaseActors.Topologies.TopologyException">The spec does not parse.</exception>
    /// <exception cref="ArgumentException">An option or the spec's policy or number of runs is bad.</exception>
    /// <exception cref="ClusterCampaignException">A worker could not run the campaign; the message names it and says why.</exception>
    /// <exception cref="InvalidOperationException">A run failed on a worker (a bug in the emulator).</exception>
    public static ClusterCampaignReport Run(ActorSystem system, CampaignSpec spec, CoordinatorOptions options,
        Action<CampaignResult, string> onResult, Action<string>? onMessage = null, Func<long, bool>? skip = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onResult);
        options.Validate();
        var campaign = spec.Parse(options.LocalWorker?.Parallel ?? 1);
        if (campaign.Runs > int.MaxValue) throw new ArgumentException($"a campaign on a cluster has at most {int.MaxValue} runs, was {campaign.Runs}", nameof(spec));
        string fingerprint;
        var simulation = SimulationSetup.CreateSystem("leaseactors-campaign-fingerprint", Quiet.Simulation);
        try
        {
            using var driver = new SimulationDriver(simulation);
            fingerprint = CampaignFingerprint.Of(driver, campaign);
        }
        finally
        {
            simulation.Terminate().Wait(TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        return Coordinate(system, spec, campaign, fingerprint, options, onResult, onMessage, skip, cancel);
    }

    /// <summary>
    /// <see cref="Run"/> once the spec is parsed into <paramref name="campaign"/> and fingerprinted: tests give it a spec
    /// or a fingerprint that workers will not agree with.
    /// </summary>
    internal static ClusterCampaignReport Coordinate(ActorSystem system, CampaignSpec spec, CampaignOptions campaign, string fingerprint,
        CoordinatorOptions options, Action<CampaignResult, string> onResult, Action<string>? onMessage, Func<long, bool>? skip, CancellationToken cancel)
    {
        using var feed = new CampaignFeed();
        var coordinator = system.ActorOf(Props.Create(() => new CoordinatorActor(spec, fingerprint, campaign, options, skip, feed)), CampaignCoordinator.Name);
        if (options.LocalWorker is { } local) _ = CampaignWorker.Start(system, local);
        try
        {
            foreach (var item in feed.Take(cancel))
            {
                if (item.Result is { } result) onResult(result, item.Node!);
                else if (item.Message is { } message) onMessage?.Invoke(message);
            }
        }
        catch (OperationCanceledException)
        {
            system.Stop(coordinator);
            throw;
        }
        if (feed.Failure is { } failure) throw failure;
        return feed.Report ?? throw new InvalidOperationException("the campaign feed ended without a report");
    }
}
