using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation;

/// <summary>
/// What the actors of one run get from the engine: the run's seed, its random stream, its trace and its clock.
/// Handed to the factory that creates the run's root actor, which passes it on to the actors that need it.
/// </summary>
/// <remarks>
/// Use only on the run's driver thread, i.e. from inside the run's actors.
/// </remarks>
public sealed class RunContext
{
    private readonly Func<TimeSpan> _elapsed;

    internal RunContext(ulong seed, RunTrace trace, Func<TimeSpan> elapsed)
    {
        Seed = seed;
        Trace = trace;
        _elapsed = elapsed;
        Random = new DeterministicRandom(DeterministicRandom.Derive(seed, "actors"));
    }

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; }

    /// <summary>The actors' random stream, derived from the seed (independent of the scheduling strategy's stream).</summary>
    public DeterministicRandom Random { get; }

    /// <summary>The run's trace.</summary>
    public RunTrace Trace { get; }

    /// <summary>Virtual time since the run's epoch.</summary>
    public TimeSpan Elapsed => _elapsed();

    /// <summary>A new random stream named <paramref name="stream"/>, derived from the run's seed.</summary>
    public DeterministicRandom DeriveRandom(string stream) => new(DeterministicRandom.Derive(Seed, stream));
}
