using LeaseActors.Simulation.Probe;
using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Simulation.Tests.Strategies;

public sealed class ReplayStrategyTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void Replaying_the_recorded_choices_reproduces_the_trace_hash()
    {
        for (ulong seed = 100; seed < 150; seed++)
        {
            var recorded = ProbeScenario.Run(fixture.Driver, seed);
            var replay = new ReplayStrategy(recorded.Choices);

            var replayed = fixture.Driver.Run(new RunOptions { Seed = seed, Strategy = replay }, ProbeScenario.Root);

            Assert.Equal(recorded.TraceSha256, replayed.TraceSha256);
            Assert.Equal(recorded.Choices.ToArray(), replayed.Choices.ToArray());
            Assert.Equal(recorded.Choices.Length, replay.Used);
        }
    }

    [Fact]
    public void A_choice_is_recorded_exactly_when_the_strategy_is_asked_and_only_with_several_mailboxes_ready()
    {
        var counting = new CountingStrategy();

        var result = fixture.Driver.Run(new RunOptions { Seed = 4, Strategy = counting }, ProbeScenario.Root);

        Assert.Equal(counting.Calls, result.Choices.Length);
        Assert.True(counting.Calls > 0);
        Assert.True(counting.SmallestReadyCount >= 2);
        Assert.True(result.Steps > result.Choices.Length, "some steps had a single ready mailbox");
    }

    private sealed class CountingStrategy : ISchedulingStrategy
    {
        public int Calls { get; private set; }

        public int SmallestReadyCount { get; private set; } = int.MaxValue;

        public void Start(ulong seed) { }

        public int Choose(IReadyView ready)
        {
            Calls++;
            SmallestReadyCount = Math.Min(SmallestReadyCount, ready.Count);
            return ready.Count - 1;
        }
    }

    [Fact]
    public void Replaying_the_choices_of_a_smaller_run_throws_ReplayDivergedException()
    {
        var small = fixture.Driver.Run(new RunOptions { Seed = 5 }, run => TestActors.Race(run, 2, 2));

        var exception = Assert.Throws<ReplayDivergedException>(() =>
            fixture.Driver.Run(new RunOptions { Seed = 5, Strategy = new ReplayStrategy(small.Choices) },
                run => TestActors.Race(run, 4, 4)));

        Assert.StartsWith("Replay diverged: the run asked for choice", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_choice_beyond_the_ready_mailboxes_throws_ReplayDivergedException()
    {
        var exception = Assert.Throws<ReplayDivergedException>(() =>
            fixture.Driver.Run(new RunOptions { Seed = 5, Strategy = new ReplayStrategy([1_000]) },
                run => TestActors.Race(run, 3, 3)));

        Assert.Contains("recorded choice 1 is 1000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_driver_serves_the_next_run_after_a_diverged_replay()
    {
        Assert.Throws<ReplayDivergedException>(() =>
            fixture.Driver.Run(new RunOptions { Strategy = new ReplayStrategy([]) }, run => TestActors.Race(run, 3, 3)));

        var next = fixture.Driver.Run(new RunOptions { Seed = 9 }, run => TestActors.Race(run, 3, 3));
        var again = fixture.Driver.Run(new RunOptions { Seed = 9 }, run => TestActors.Race(run, 3, 3));

        Assert.Equal(9, next.Trace.Entries.Count);
        Assert.Equal(next.TraceSha256, again.TraceSha256);
    }
}
