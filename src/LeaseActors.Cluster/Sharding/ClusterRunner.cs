using Akka.Actor;
using LeaseActors.Judging;
using LeaseActors.RealTime;
using LeaseActors.Topologies;

namespace LeaseActors.Cluster.Sharding;

/// <summary>How <see cref="ClusterRunner"/> runs a topology.</summary>
public sealed record ClusterRunSettings
{
    /// <summary>Virtual seconds per wall second. Default <see cref="RealTimeOptions.DefaultTimeScale"/>.</summary>
    public double TimeScale { get; init; } = RealTimeOptions.DefaultTimeScale;

    /// <summary>The seed of the kernel's unspecified orders. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The run ends when no event has happened for this much kernel time. Default: the lease-break time plus 15 s.</summary>
    public TimeSpan? Quiet { get; init; }

    /// <summary>Once every process has exited, the run ends after this much kernel time without events. Default 1 s.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The kernel's name (unique in the cluster); null: a fresh one.</summary>
    public string? Name { get; init; }

    /// <summary>Where processes go (see <see cref="ShardedKernelOptions.PlaceProcess"/>); null: round robin.</summary>
    public Func<string, IReadOnlyList<Address>, Address>? PlaceProcess { get; init; }
}

/// <summary>
/// Runs a topology once on a cluster, as a <see cref="ShardedKernel"/> whose home is <c>system</c>, and judges it with
/// the same monitors as a simulated run (the counterpart of <see cref="RealTimeRunner"/>). Not deterministic.
/// </summary>
public static class ClusterRunner
{
    private static int s_runs;

    /// <summary>
    /// Runs <paramref name="topology"/> under <paramref name="policy"/> (null: the topology's own, else mainline) until
    /// every process has exited, nothing happened for the quiet time, or the horizon; stops the kernel and returns the
    /// judged report and the kernel (for its placements and event counts).
    /// </summary>
    /// <exception cref="ArgumentException">The policy is unknown, the topology has a chaos plan, or a setting is invalid.</exception>
    public static async Task<(RunReport Report, ShardedKernel Kernel)> RunAsync(ActorSystem system, Topology topology, string? policy = null, ClusterRunSettings? settings = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(topology);
        settings ??= new ClusterRunSettings();
        var chosen = Policies.Require(policy ?? topology.Policy ?? Policies.Mainline);
        var scenario = topology.Scenario;
        if (!topology.ChaosPlan.IsEmpty) throw new ArgumentException("A sharded kernel does not run chaos plans (see docs/cluster.md).", nameof(topology));
        var options = scenario.Options with { Policy = Policies.Get(chosen), Chaos = null };
        var quiet = settings.Quiet ?? options.LeaseBreakTime + TimeSpan.FromSeconds(15);
        if (quiet <= TimeSpan.Zero) throw new ArgumentException($"Quiet must be positive, was {quiet}", nameof(settings));

        await ShardedKernelNode.Start(system).WhenReadyAsync(cancel).ConfigureAwait(false);
        var kernel = ShardedKernel.Create(system, new ShardedKernelOptions
        {
            Kernel = options,
            TimeScale = settings.TimeScale,
            Name = settings.Name ?? "cluster-run-" + Interlocked.Increment(ref s_runs),
            Seed = settings.Seed,
            PlaceProcess = settings.PlaceProcess,
        });
        string endedBy;
        TimeSpan end;
        try
        {
            foreach (var file in scenario.Files) await kernel.CreateFileAsync(file, cancel).ConfigureAwait(false);
            foreach (var process in scenario.Processes) await kernel.SpawnAsync(process, cancel).ConfigureAwait(false);
            foreach (var socket in scenario.Sockets) await kernel.ConnectSocketAsync(socket, cancel).ConfigureAwait(false);
            // The run's quiet time counts from the last event: a first shard allocation (slow on a loaded machine) must
            // not pass for a quiet kernel, so the programs start once every object is hosted.
            await kernel.WhenHostedAsync(cancel).ConfigureAwait(false);
            kernel.Start();
            (endedBy, end) = await RealTimeRunner.WaitForEnd(kernel.Clock, kernel.Activity, topology.Horizon, quiet, settings.Grace, cancel).ConfigureAwait(false);
        }
        finally
        {
            await kernel.StopAsync().ConfigureAwait(false);
        }
        return (kernel.Judge(end, endedBy, settings.Seed, topology, chosen), kernel);
    }
}
