using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Simulation.Tests.Strategies;

public sealed class RandomStrategyTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void Start_restarts_the_choices_for_the_seed()
    {
        var strategy = new RandomStrategy();
        var ready = new FixedReady(7);

        strategy.Start(5);
        var first = Enumerable.Range(0, 20).Select(_ => strategy.Choose(ready)).ToList();
        strategy.Start(6);
        var other = Enumerable.Range(0, 20).Select(_ => strategy.Choose(ready)).ToList();
        strategy.Start(5);
        var again = Enumerable.Range(0, 20).Select(_ => strategy.Choose(ready)).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.All(first, i => Assert.InRange(i, 0, 6));
    }

    [Fact]
    public void The_random_strategy_draws_from_the_seeds_schedule_stream()
    {
        var strategy = new RandomStrategy();
        strategy.Start(42);
        var expected = new DeterministicRandom(DeterministicRandom.Derive(42, "schedule"));

        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(expected.Next(10), strategy.Choose(new FixedReady(10))));
    }

    [Fact]
    public void A_strategy_that_chooses_outside_the_ready_mailboxes_is_refused_and_the_driver_stays_usable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            fixture.Driver.Run(new RunOptions { Strategy = new OutOfRange() }, run => TestActors.Race(run, 3, 1)));

        Assert.Contains("OutOfRange chose", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, fixture.Driver.Run(new RunOptions(), run => TestActors.Race(run, 3, 1)).Trace.Entries.Count);
    }

    private sealed class FixedReady(int count) : IReadyView
    {
        public int Count => count;

        public long StepsTaken => 0;

        public int KeyAt(int index) => index;
    }

    private sealed class OutOfRange : ISchedulingStrategy
    {
        public void Start(ulong seed) { }

        public int Choose(IReadyView ready) => ready.Count;
    }
}
