using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Simulation;

/// <summary>What a simulated run needs besides its actors: the seed, the scheduling strategy and the limits.</summary>
public sealed record RunOptions
{
    /// <summary>The run's seed. Default 0. Every random choice of the run (schedule, actors' draws) derives from it.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Virtual time after which the run stops if timers are still pending. Default 1 hour: long enough for any
    /// lease-break-time, short enough that a hang is reported quickly.
    /// </summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Maximum number of mailbox turns, and separately of timers fired. Default 10,000,000: stops livelocks (an
    /// actor messaging itself forever, an action rescheduling itself with no delay) without limiting real runs.
    /// </summary>
    public long StepLimit { get; init; } = 10_000_000;

    /// <summary>
    /// Chooses the next mailbox when several are ready. Default: a <see cref="RandomStrategy"/> seeded from
    /// <see cref="Seed"/>. Strategies keep state, so give each concurrent run its own instance.
    /// </summary>
    public ISchedulingStrategy? Strategy { get; init; }

    /// <summary>
    /// Throw a <see cref="SimulationLeakException"/> when a call reached the run from outside its driver thread.
    /// Default true: such a run is not deterministic, so its result must not be trusted.
    /// </summary>
    public bool ThrowOnLeak { get; init; } = true;

    /// <summary>Checks the values and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public RunOptions Validate()
    {
        if (Horizon <= TimeSpan.Zero) throw new ArgumentException($"Horizon must be positive, was {Horizon}.", nameof(Horizon));
        if (StepLimit <= 0) throw new ArgumentException($"StepLimit must be positive, was {StepLimit}.", nameof(StepLimit));
        return this;
    }
}
