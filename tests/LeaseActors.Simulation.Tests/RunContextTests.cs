using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

public sealed class RunContextTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void The_actors_random_stream_and_derived_streams_come_from_the_seed()
    {
        var result = fixture.Driver.Run(new RunOptions { Seed = 42 }, run => Props.Create(() => new Draws(run)));

        var e = (TraceEvent)Assert.Single(result.Trace.Entries).Event;
        Assert.Equal(42UL, e["seed"]);
        Assert.Equal(new DeterministicRandom(DeterministicRandom.Derive(42, "actors")).NextUInt64(), e["actors"]);
        Assert.Equal(new DeterministicRandom(DeterministicRandom.Derive(42, "faults")).NextUInt64(), e["faults"]);
    }

    [Fact]
    public void An_actor_drawing_more_numbers_does_not_change_the_schedule()
    {
        // The random strategy draws from its own stream ("schedule"), so the choices depend only on the seed and
        // the ready sets, not on how many numbers the actors draw.
        var few = fixture.Driver.Run(new RunOptions { Seed = 8 }, run => Props.Create(() => new DrawingRace(run, 1)));
        var many = fixture.Driver.Run(new RunOptions { Seed = 8 }, run => Props.Create(() => new DrawingRace(run, 1_000)));

        Assert.Equal(few.Choices.ToArray(), many.Choices.ToArray());
        Assert.Equal(few.TraceSha256, many.TraceSha256);
    }

    private sealed class Draws : ReceiveActor
    {
        public Draws(RunContext run) =>
            run.Trace.Record(new TraceEvent("draws", ("seed", run.Seed), ("actors", run.Random.NextUInt64()),
                ("faults", run.DeriveRandom("faults").NextUInt64())));
    }

    private sealed class DrawingRace : ReceiveActor
    {
        public DrawingRace(RunContext run, int draws)
        {
            for (var i = 0; i < draws; i++) run.Random.NextUInt64();
            Context.ActorOf(TestActors.Interleave(run, 3, 3), "race");
        }
    }
}
