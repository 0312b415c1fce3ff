using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Simulation.Tests.Strategies;

public sealed class DfsStrategyTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    /// <summary>Runs the toy system until the strategy has nothing left (or 1,000 runs), returning every run.</summary>
    private static List<(IReadOnlyList<int> Choices, string Trace)> Enumerate(DfsStrategy dfs, int senders, int each, bool receiver)
    {
        var runs = new List<(IReadOnlyList<int>, string)>();
        do runs.Add(ToySystem.Run(dfs, 0, senders, each, receiver));
        while (dfs.Advance() && runs.Count < 1_000);
        return runs;
    }

    [Fact]
    public void The_default_bound_is_1000_choice_points()
    {
        Assert.Equal(1_000, new DfsStrategy().MaxDepth);
        Assert.Equal(DfsStrategy.DefaultMaxDepth, new DfsStrategy().MaxDepth);
    }

    [Fact]
    public void Two_senders_to_a_receiver_have_exactly_four_schedules_and_two_arrival_orders()
    {
        // {s0,s1} ready: 2 ways. Then the other sender and the receiver (holding the first message) are ready: 2 ways.
        // After that only one is ready at a time. 2 × 2 = 4 schedules; the receiver sees s0 first or s1 first.
        var dfs = new DfsStrategy();

        var runs = Enumerate(dfs, senders: 2, each: 1, receiver: true);

        Assert.Equal(4, runs.Count);
        Assert.Equal(4, runs.Select(r => string.Join(',', r.Choices)).Distinct().Count());
        Assert.Equal(["s0:0 s1:0", "s1:0 s0:0"], runs.Select(r => r.Trace).Distinct().Order(StringComparer.Ordinal));
        Assert.True(dfs.Done);
        Assert.True(dfs.Exhausted);
        Assert.False(dfs.BoundHit);
        Assert.Equal(4, dfs.Runs);
    }

    [Fact]
    public void Two_threads_of_two_steps_have_the_six_interleavings_of_four_steps()
    {
        var dfs = new DfsStrategy();

        var runs = Enumerate(dfs, senders: 2, each: 2, receiver: false);

        // C(4, 2) = 6 interleavings, each a distinct trace.
        Assert.Equal(6, runs.Count);
        Assert.Equal(6, runs.Select(r => r.Trace).Distinct().Count());
        Assert.True(dfs.Exhausted);
    }

    [Fact]
    public void Schedules_come_in_depth_first_order_with_the_deepest_choice_advanced_first()
    {
        var runs = Enumerate(new DfsStrategy(), senders: 2, each: 1, receiver: true);

        Assert.Equal(["0,0", "0,1", "1,0", "1,1"], runs.Select(r => string.Join(',', r.Choices)));
    }

    [Fact]
    public void A_depth_bound_below_the_trees_depth_is_reported_as_hit_and_the_space_is_not_called_exhausted()
    {
        // Three senders, no receiver: 3 × 2 = 6 schedules with two choice points each; a bound of 1 branches only at the first.
        var dfs = new DfsStrategy(maxDepth: 1);

        var runs = Enumerate(dfs, senders: 3, each: 1, receiver: false);

        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(0, r.Choices[1]));
        Assert.True(dfs.Done);
        Assert.True(dfs.BoundHit);
        Assert.False(dfs.Exhausted);
    }

    [Fact]
    public void A_bound_equal_to_the_trees_depth_is_not_hit()
    {
        var dfs = new DfsStrategy(maxDepth: 2);

        var runs = Enumerate(dfs, senders: 3, each: 1, receiver: false);

        Assert.Equal(6, runs.Count);
        Assert.False(dfs.BoundHit);
        Assert.True(dfs.Exhausted);
    }

    [Fact]
    public void Starting_again_after_the_space_is_exhausted_throws()
    {
        var dfs = new DfsStrategy();
        Enumerate(dfs, senders: 2, each: 1, receiver: false);

        Assert.Throws<InvalidOperationException>(() => dfs.Start(0));
    }

    [Fact]
    public void A_prefix_that_finds_a_different_ready_set_throws()
    {
        var dfs = new DfsStrategy();
        ToySystem.Run(dfs, 0, senders: 3, each: 1, receiver: false);
        Assert.True(dfs.Advance());

        var exception = Assert.Throws<InvalidOperationException>(() => ToySystem.Run(dfs, 0, senders: 2, each: 1, receiver: false));

        Assert.Contains("not deterministic", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_engine_dfs_enumerates_every_arrival_order_of_two_racing_senders_and_exhausts()
    {
        var dfs = new DfsStrategy();
        var schedules = new HashSet<string>(StringComparer.Ordinal);
        var orders = new HashSet<string>(StringComparer.Ordinal);
        var runs = 0;
        do
        {
            var result = fixture.Driver.Run(new RunOptions { Seed = 3, Strategy = dfs }, run => TestActors.Race(run, 2, 1));
            runs++;
            Assert.True(schedules.Add(string.Join(',', result.Choices)), "every schedule is new");
            orders.Add(result.TraceSha256); // the collector's arrival order is the whole trace
            var replayed = fixture.Driver.Run(new RunOptions { Seed = 3, Strategy = new ReplayStrategy(result.Choices) }, run => TestActors.Race(run, 2, 1));
            Assert.Equal(result.TraceSha256, replayed.TraceSha256);
        }
        while (dfs.Advance() && runs < 10_000);

        Assert.True(dfs.Exhausted);
        Assert.Equal(runs, dfs.Runs);
        Assert.Equal(2, orders.Count);
    }
}
