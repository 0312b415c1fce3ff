namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// The protocol of the campaign coordinator, the actor (at <c>/user/campaign-coordinator</c> on the coordinator's node)
/// that hands a campaign's runs out to workers in ranges and collects their results lines. Start one with
/// <see cref="ClusterCampaign.Run"/>.
/// </summary>
/// <remarks>
/// Every message is a record of strings and numbers, carried between nodes by Akka's default serializer. A worker
/// <see cref="Register"/>s, is sent <see cref="CampaignWorker.RunCampaign"/>, answers <see cref="CampaignAccepted"/> or
/// <see cref="CampaignRefused"/>, then asks for ranges (<see cref="RequestRange"/>, answered with
/// <see cref="CampaignWorker.RunRange"/>) and streams <see cref="RunsFinished"/> until it is sent
/// <see cref="CampaignWorker.StopCampaign"/>.
/// </remarks>
public static class CampaignCoordinator
{
    /// <summary>The coordinator actor's name under <c>/user</c>.</summary>
    public const string Name = "campaign-coordinator";

    /// <summary>A message the coordinator accepts.</summary>
    public interface ICommand;

    /// <summary>A worker offers to take part, with <paramref name="Parallel"/> runs at once and <paramref name="Prefetch"/> ranges held at a time. Sent again every second until the campaign comes.</summary>
    /// <param name="Parallel">Runs the worker makes at once.</param>
    /// <param name="Prefetch">Ranges it holds at a time (what the coordinator gives it back if it becomes reachable again).</param>
    public sealed record Register(int Parallel, int Prefetch) : ICommand;

    /// <summary>A worker parsed the campaign and its fingerprint matches the coordinator's: it will ask for ranges.</summary>
    public sealed record CampaignAccepted : ICommand;

    /// <summary>A worker cannot run the campaign (its parse failed or differs from the coordinator's); the coordinator stops the campaign with <paramref name="Reason"/>.</summary>
    /// <param name="Reason">One line, for the user.</param>
    public sealed record CampaignRefused(string Reason) : ICommand;

    /// <summary>A worker asks for one more range.</summary>
    public sealed record RequestRange : ICommand;

    /// <summary>A worker's finished runs, one results line each (the lines of a local campaign's <c>--out</c> file).</summary>
    /// <param name="Lines">The lines, in the order the runs finished (an array: the default serializer carries it as is).</param>
    public sealed record RunsFinished(string[] Lines) : ICommand;

    /// <summary>A worker's run failed with an exception (a bug in the emulator); the coordinator stops the campaign.</summary>
    /// <param name="Reason">The exception's message.</param>
    public sealed record WorkerFailed(string Reason) : ICommand;
}
