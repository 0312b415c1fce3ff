using Akka.Actor;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Simulation.Tracing;
using LeaseActors.Topologies;

namespace LeaseActors.RealTime;

/// <summary>How <see cref="RealTimeRunner"/> runs a topology.</summary>
public sealed record RealTimeRunSettings
{
    /// <summary>Virtual seconds per wall second. Default <see cref="RealTimeOptions.DefaultTimeScale"/>.</summary>
    public double TimeScale { get; init; } = RealTimeOptions.DefaultTimeScale;

    /// <summary>The seed of the kernel's unspecified orders and of the chaos plan's samples. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>A chaos plan replacing the topology's own; null keeps it.</summary>
    public ChaosPlan? Chaos { get; init; }

    /// <summary>
    /// The run ends when no event has happened for this much kernel time (nothing is left to do but wait, which is how
    /// a hang shows). Default: the lease-break time plus 15 s. A topology whose programs sleep longer needs more.
    /// </summary>
    public TimeSpan? Quiet { get; init; }

    /// <summary>Once every process has exited, the run ends after this much kernel time without events. Default 1 s.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The kernel actor's name (unique among the system's top-level actors); null: a fresh one.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// A policy object to run under instead of a named one (a <see cref="Kernel.KernelPolicy"/> of the caller's own);
    /// null: the named policy. As <see cref="TopologyRunSettings.Policy"/>.
    /// </summary>
    public Kernel.KernelPolicy? Policy { get; init; }
}

/// <summary>
/// Runs a topology once in real-time mode on an actor system (any system: no simulation set-up needed) and judges it
/// with the same monitors as a simulated run. Not deterministic: timings come from the wall clock, so a verdict that
/// hangs on a margin below Akka's timer resolution (10 ms wall, half a virtual second at the default scale) may differ
/// from the simulation's.
/// </summary>
public static class RealTimeRunner
{
    private static int s_runs;

    /// <summary>
    /// Runs <paramref name="topology"/> under <paramref name="policy"/> (null: the topology's own, else mainline) until
    /// every process has exited, nothing happened for <see cref="RealTimeRunSettings.Quiet"/>, or the topology's horizon,
    /// then stops the kernel and returns the judged report (<see cref="RunReport.EndedBy"/> says which).
    /// </summary>
    /// <exception cref="ArgumentException">The policy is unknown or contradicts <see cref="RealTimeRunSettings.Policy"/>, or a setting is invalid.</exception>
    public static async Task<RunReport> RunAsync(ActorSystem system, Topology topology, string? policy = null, RealTimeRunSettings? settings = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(topology);
        settings ??= new RealTimeRunSettings();
        var (chosen, kernelPolicy) = TopologyRunner.Resolve(policy, topology, settings.Policy);
        var plan = settings.Chaos ?? topology.ChaosPlan;
        var scenario = topology.Scenario;
        var options = scenario.Options with { Policy = kernelPolicy, Chaos = plan.IsEmpty ? null : new ChaosSettings(plan, settings.Seed) };
        var quiet = settings.Quiet ?? options.LeaseBreakTime + TimeSpan.FromSeconds(15);
        if (quiet <= TimeSpan.Zero) throw new ArgumentException($"Quiet must be positive, was {quiet}", nameof(settings));

        var kernel = RealTimeKernel.Create(system, new RealTimeOptions
        {
            Kernel = options,
            TimeScale = settings.TimeScale,
            Name = settings.Name ?? "realtime-run-" + Interlocked.Increment(ref s_runs),
            Seed = settings.Seed,
            PublishEvents = false,
        });
        var trace = kernel.Trace!;
        var judge = new RunJudge(trace, kernelPolicy);
        var activity = new RunActivity();
        trace.Subscribe(entry => activity.Observe(entry.Event.Kind, entry.Time));

        string endedBy;
        TimeSpan end;
        try
        {
            foreach (var file in scenario.Files) await kernel.CreateFileAsync(file, cancel).ConfigureAwait(false);
            foreach (var process in scenario.Processes) await kernel.SpawnAsync(process, cancel).ConfigureAwait(false);
            foreach (var socket in scenario.Sockets) await kernel.ConnectSocketAsync(socket, cancel).ConfigureAwait(false);
            kernel.Start();
            (endedBy, end) = await WaitForEnd(kernel.Clock, activity.Read, topology.Horizon, quiet, settings.Grace, cancel).ConfigureAwait(false);
        }
        finally
        {
            await kernel.StopAsync().ConfigureAwait(false);
        }
        return judge.Judge(trace, end, endedBy, settings.Seed, topology, chosen);
    }

    /// <summary>
    /// The end of a real-time run (here and on a cluster): the horizon, every process exited and <paramref name="grace"/>
    /// without events, or <paramref name="quiet"/> without events; <paramref name="activity"/> reads the live processes,
    /// whether any started, and the kernel time of the last event.
    /// </summary>
    internal static async Task<(string EndedBy, TimeSpan End)> WaitForEnd(KernelClock clock, Func<(int Alive, bool Started, TimeSpan Last)> activity,
        TimeSpan horizon, TimeSpan quiet, TimeSpan grace, CancellationToken cancel)
    {
        // Real time is observed, not simulated: look a few times per virtual second (at most every 5 wall ms).
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(clock.ToScheduler(TimeSpan.FromMilliseconds(250)).TotalMilliseconds, 1, 5));
        while (true)
        {
            await Task.Delay(poll, cancel).ConfigureAwait(false);
            var now = clock.Now;
            var (alive, started, last) = activity();
            if (now >= horizon) return ("horizon", horizon);
            if (started && alive == 0 && now - last >= grace) return ("quiescence", now);
            if (now - last >= quiet) return ("quiet", now);
        }
    }
}
