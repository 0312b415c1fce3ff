using Akka.Actor;
using LeaseActors.Cluster.Campaigns.Internal;

namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// The protocol of a campaign worker, the actor (at <c>/user/campaign-worker</c>) that runs the ranges a coordinator hands
/// it with the single-machine campaign machinery (<see cref="LeaseActors.Campaigns.CampaignRunner"/>, one simulation
/// driver per thread) and streams the results lines back. Start one with <see cref="Start"/>.
/// </summary>
/// <remarks>
/// The worker owns the campaign it was sent, the ranges it holds (and how many runs of each are left), and the lines not
/// yet sent. It accepts <see cref="RunCampaign"/>, <see cref="RunRange"/> and <see cref="StopCampaign"/>, and sends the
/// <see cref="CampaignCoordinator"/> messages. Runs are made on threads of its own, not on Akka's dispatcher, and on
/// simulation ActorSystems of their own, apart from the node's cluster ActorSystem.
/// </remarks>
public static class CampaignWorker
{
    /// <summary>The worker actor's name under <c>/user</c>.</summary>
    public const string Name = "campaign-worker";

    /// <summary>A message a worker accepts.</summary>
    public interface ICommand;

    /// <summary>The coordinator's answer to <see cref="CampaignCoordinator.Register"/>: the campaign, and the fingerprint of the coordinator's parse of it.</summary>
    /// <param name="Spec">The campaign.</param>
    /// <param name="Fingerprint">The coordinator's fingerprint: the SHA-256 of its first runs' results lines.</param>
    public sealed record RunCampaign(CampaignSpec Spec, string Fingerprint) : ICommand;

    /// <summary>Make the runs with indices in [<paramref name="From"/>, <paramref name="To"/>).</summary>
    /// <param name="From">The first index.</param>
    /// <param name="To">One past the last index.</param>
    public sealed record RunRange(long From, long To) : ICommand;

    /// <summary>The campaign is over: finished (<paramref name="Reason"/> null) or stopped for <paramref name="Reason"/>. Runs not started are dropped.</summary>
    /// <param name="Reason">Why the campaign was stopped, or null when it finished.</param>
    public sealed record StopCampaign(string? Reason) : ICommand;

    /// <summary>
    /// Starts a worker on <paramref name="system"/> (a node started with <see cref="CampaignCluster.Start"/>). It finds the
    /// coordinator among the cluster's members, takes part in its campaign, and the returned task completes when the
    /// worker is done: the campaign finished, was refused or stopped, or the coordinator was lost.
    /// <paramref name="onMessage"/>, if given, is called with a line for the user when the coordinator is found and when
    /// the campaign comes and is accepted (on an Akka thread).
    /// </summary>
    public static Task<WorkerOutcome> Start(ActorSystem system, WorkerOptions options, Action<string>? onMessage = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var outcome = new TaskCompletionSource<WorkerOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new WorkerActor(options, outcome, onMessage)), Name);
        return outcome.Task;
    }
}
