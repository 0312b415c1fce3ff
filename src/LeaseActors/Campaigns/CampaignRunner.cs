using System.Diagnostics;
using Akka.Actor;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Campaigns;

/// <summary>What a campaign runs: one topology under one policy, <see cref="Runs"/> times, each with its own seed.</summary>
public sealed record CampaignOptions
{
    /// <summary>The topology.</summary>
    public required Topology Topology { get; init; }

    /// <summary>The policy (null: the topology's own, else mainline).</summary>
    public string? Policy { get; init; }

    /// <summary>A chaos plan replacing the topology's own chaos block; null keeps it.</summary>
    public ChaosPlan? Chaos { get; init; }

    /// <summary>How many runs. Must be positive.</summary>
    public long Runs { get; init; } = 1000;

    /// <summary>The campaign's seed S: run i's seed is <c>DeterministicRandom.Derive(S, i)</c>. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>How many runs at once (one simulation driver per worker thread). Default: the number of cores.</summary>
    public int Parallel { get; init; } = Environment.ProcessorCount;

    /// <summary>The seed of run <paramref name="index"/>: the value <c>replay --seed</c> takes.</summary>
    public ulong SeedOf(long index) => DeterministicRandom.Derive(Seed, index);

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public CampaignOptions Validate()
    {
        if (Runs <= 0) throw new ArgumentException($"the number of runs must be positive, was {Runs}", nameof(Runs));
        if (Parallel <= 0) throw new ArgumentException($"--parallel must be positive, was {Parallel}", nameof(Parallel));
        Policies.Require(Policy ?? Topology.Policy ?? Policies.Mainline);
        return this;
    }
}

/// <summary>One finished run of a campaign.</summary>
/// <param name="Index">Its index i in the campaign.</param>
/// <param name="Report">Its judged report (its seed is the run's own seed).</param>
/// <param name="WallMs">Wall-clock milliseconds it took (the only wall-clock value of a campaign's results).</param>
public sealed record CampaignRun(long Index, RunReport Report, double WallMs)
{
    /// <summary>What the runner's <c>format</c> function made of this run on its worker thread (a results line), if any.</summary>
    public string? Formatted { get; init; }
}

/// <summary>
/// Runs a campaign: runs spread over worker threads, each with its own simulation driver on one shared ActorSystem,
/// run i always with seed <c>Derive(S, i)</c>, so a run's result does not depend on the parallelism or on which
/// worker ran it. Each finished run is handed to a callback (serialized: one call at a time) as soon as it finishes.
/// </summary>
public static class CampaignRunner
{
    /// <summary>
    /// Runs every index in [0, <see cref="CampaignOptions.Runs"/>) for which <paramref name="skip"/> is false, calling
    /// <paramref name="onRun"/> for each as it finishes. Stops early (after the runs in progress) when
    /// <paramref name="cancel"/> is cancelled. Returns the number of runs made.
    /// </summary>
    /// <remarks>
    /// <paramref name="format"/>, when given, runs on the worker thread before the serialized callback (its result is
    /// <see cref="CampaignRun.Formatted"/>), so workers do not queue behind each other's formatting.
    /// </remarks>
    public static long Run(ActorSystem system, CampaignOptions options, Action<CampaignRun> onRun, Func<long, bool>? skip = null,
        Func<CampaignRun, string>? format = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var next = -1L;
        return Run(system, options, () =>
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= options.Runs) return null;
                if (skip?.Invoke(index) != true) return index;
            }
        }, onRun, format, (int)Math.Min(options.Parallel, options.Runs), cancel);
    }

    /// <summary>
    /// Runs the indices that <paramref name="take"/> hands out, on <see cref="CampaignOptions.Parallel"/> worker threads,
    /// calling <paramref name="onRun"/> for each as it finishes, until <paramref name="take"/> returns null (or
    /// <paramref name="cancel"/> is cancelled). Returns the number of runs made.
    /// </summary>
    /// <remarks>
    /// <paramref name="take"/> is called from every worker thread at once, so it must be thread-safe; it may block until
    /// there is an index to hand out (a worker of a campaign spread over machines waits there for its next range of
    /// runs). Each index it returns must be inside [0, <see cref="CampaignOptions.Runs"/>); run i is still made with
    /// seed <c>Derive(S, i)</c>, so where an index comes from does not change its result.
    /// </remarks>
    public static long Run(ActorSystem system, CampaignOptions options, Func<long?> take, Action<CampaignRun> onRun,
        Func<CampaignRun, string>? format = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Run(system, options, take, onRun, format, options.Parallel, cancel);
    }

    private static long Run(ActorSystem system, CampaignOptions options, Func<long?> take, Action<CampaignRun> onRun,
        Func<CampaignRun, string>? format, int threads, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(take);
        ArgumentNullException.ThrowIfNull(onRun);
        options.Validate();
        var settings = new TopologyRunSettings { Chaos = options.Chaos };
        var made = 0L;
        var gate = new object();
        Exception? failure = null;
        var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            ActorSystem? own = null;
            try
            {
                // Worker 0 uses the caller's system; the others get their own, so that workers share no actor-system
                // structures (event stream, scheduler, children containers) on the hot path.
                if (w > 0) own = SimulationSetup.CreateSystem(system.Name + "-worker-" + w, system.Settings.Config);
                using var driver = new SimulationDriver(own ?? system);
                while (!cancel.IsCancellationRequested && Volatile.Read(ref failure) is null)
                {
                    if (take() is not { } index) break;
                    if (index < 0 || index >= options.Runs)
                        throw new ArgumentOutOfRangeException(nameof(take), index, $"run index outside the campaign's {options.Runs} runs");
                    var clock = Stopwatch.StartNew();
                    var report = TopologyRunner.Run(driver, options.Topology, options.Policy, options.SeedOf(index), settings);
                    var run = new CampaignRun(index, report, clock.Elapsed.TotalMilliseconds);
                    if (format is not null) run = run with { Formatted = format(run) };
                    lock (gate)
                    {
                        made++;
                        onRun(run);
                    }
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
            finally
            {
                own?.Terminate().Wait(TimeSpan.FromSeconds(10));
            }
        })
        { IsBackground = true, Name = "campaign-" + w }).ToList();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        if (failure is not null) throw new InvalidOperationException("a campaign run failed: " + failure.Message, failure);
        return made;
    }
}
