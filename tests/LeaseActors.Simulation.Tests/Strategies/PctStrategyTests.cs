using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Simulation.Tests.Strategies;

public sealed class PctStrategyTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void The_defaults_are_depth_3_over_100_choices()
    {
        var pct = new PctStrategy();

        Assert.Equal(3, pct.Depth);
        Assert.Equal(100, pct.ExpectedLength);
        Assert.Equal(PctStrategy.DefaultDepth, pct.Depth);
        Assert.Equal(PctStrategy.DefaultExpectedLength, pct.ExpectedLength);
    }

    [Fact]
    public void The_same_seed_gives_the_same_schedule_and_other_seeds_give_others()
    {
        var pct = new PctStrategy(depth: 3, expectedLength: 12);

        var first = ToySystem.Run(pct, 11, senders: 4, each: 3, receiver: true);
        var again = ToySystem.Run(new PctStrategy(depth: 3, expectedLength: 12), 11, senders: 4, each: 3, receiver: true);
        var others = Enumerable.Range(0, 20).Select(s => ToySystem.Run(pct, (ulong)s + 100, senders: 4, each: 3, receiver: true).Trace).Distinct().Count();

        Assert.Equal(first.Choices, again.Choices);
        Assert.Equal(first.Trace, again.Trace);
        Assert.True(others > 3, $"only {others} distinct schedules from 20 seeds");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Priorities_change_at_most_depth_minus_one_times(int depth)
    {
        for (ulong seed = 0; seed < 50; seed++)
        {
            var pct = new PctStrategy(depth, expectedLength: 10);
            var run = ToySystem.Run(pct, seed, senders: 3, each: 4, receiver: true);

            Assert.InRange(pct.PriorityChanges, 0, depth - 1);
            Assert.Equal(depth - 1, pct.ChangePoints.Count);
            Assert.Equal(pct.ChangePoints.Count(p => p <= run.Choices.Count), pct.PriorityChanges);
            Assert.All(pct.ChangePoints, p => Assert.InRange(p, 1, 10));
        }
    }

    [Fact]
    public void With_depth_1_the_highest_priority_actor_runs_until_it_has_nothing_left()
    {
        // No change points: one sender's whole batch comes before another's, whatever the seed.
        for (ulong seed = 0; seed < 20; seed++)
        {
            var (_, trace) = ToySystem.Run(new PctStrategy(depth: 1), seed, senders: 3, each: 3, receiver: false);
            var owners = trace.Split(' ').Select(m => m[..2]).ToList();
            var switches = owners.Zip(owners.Skip(1)).Count(p => p.First != p.Second);
            Assert.Equal(2, switches);
        }
    }

    [Fact]
    public void A_change_point_switches_away_from_the_running_actor()
    {
        // Depth 2 with one choice per run expected: the single change point is at choice 1, so the actor that
        // would have run first drops to the lowest priority and runs last.
        for (ulong seed = 0; seed < 20; seed++)
        {
            var (_, withoutChange) = ToySystem.Run(new PctStrategy(depth: 1), seed, senders: 2, each: 2, receiver: false);
            var pct = new PctStrategy(depth: 2, expectedLength: 1);
            var (_, withChange) = ToySystem.Run(pct, seed, senders: 2, each: 2, receiver: false);

            Assert.Equal([1], pct.ChangePoints);
            Assert.Equal(1, pct.PriorityChanges);
            Assert.NotEqual(withoutChange[..2], withChange[..2]);
        }
    }

    [Fact]
    public void Invalid_depth_or_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PctStrategy(depth: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PctStrategy(expectedLength: 0));
    }

    [Fact]
    public void On_the_engine_a_pct_run_replays_to_the_same_trace_and_the_same_seed_repeats_it()
    {
        for (ulong seed = 0; seed < 10; seed++)
        {
            var first = fixture.Driver.Run(new RunOptions { Seed = seed, Strategy = new PctStrategy(3, 20) }, run => TestActors.Interleave(run, 3, 3));
            var again = fixture.Driver.Run(new RunOptions { Seed = seed, Strategy = new PctStrategy(3, 20) }, run => TestActors.Interleave(run, 3, 3));
            var replayed = fixture.Driver.Run(new RunOptions { Seed = seed, Strategy = new ReplayStrategy(first.Choices) }, run => TestActors.Interleave(run, 3, 3));

            Assert.Equal(first.TraceSha256, again.TraceSha256);
            Assert.Equal(first.TraceSha256, replayed.TraceSha256);
        }
    }
}
