namespace LeaseActors.Simulation.Strategies;

/// <summary>Picks uniformly among the ready mailboxes, from a stream derived from the run's seed.</summary>
public sealed class RandomStrategy : ISchedulingStrategy
{
    private readonly DeterministicRandom _random = new(0);

    /// <inheritdoc />
    public void Start(ulong seed) => _random.Reseed(DeterministicRandom.Derive(seed, "schedule"));

    /// <inheritdoc />
    public int Choose(IReadyView ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        return _random.Next(ready.Count);
    }
}
