using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests.Tracing;

/// <summary>
/// AKKA-SIMULATION-NOTES "Random ids": Akka draws actor UIDs from a thread-local random generator, so a trace
/// must record actor names or paths, never <c>IActorRef.ToString()</c> or <c>Path.Uid</c>.
/// </summary>
public sealed class ActorNamesInTracesTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void Recording_IActorRef_ToString_makes_two_runs_of_the_same_seed_differ()
    {
        var first = fixture.Driver.Run(new RunOptions { Seed = 1 }, run => Props.Create(() => new Namer(run.Trace, r => r.ToString()!)));
        var second = fixture.Driver.Run(new RunOptions { Seed = 1 }, run => Props.Create(() => new Namer(run.Trace, r => r.ToString()!)));

        Assert.NotEqual(first.TraceSha256, second.TraceSha256);
        Assert.Contains("#", RunAssert.Lines(first)[0], StringComparison.Ordinal); // "[akka://…/run/c0#1234567]"
    }

    [Fact]
    public void Recording_actor_paths_without_uid_gives_the_same_trace_in_every_run()
    {
        var first = fixture.Driver.Run(new RunOptions { Seed = 1 }, run => Props.Create(() => new Namer(run.Trace, r => r.Path.ToStringWithoutAddress())));
        var second = fixture.Driver.Run(new RunOptions { Seed = 1 }, run => Props.Create(() => new Namer(run.Trace, r => r.Path.ToStringWithoutAddress())));

        Assert.Equal(first.TraceSha256, second.TraceSha256);
        Assert.Equal($"named actor=/user/{fixture.Driver.Name}/run/c0", RunAssert.Lines(first)[0]);
    }

    [Fact]
    public void Full_paths_name_the_driver_so_traces_shared_by_parallel_drivers_record_names_relative_to_the_run()
    {
        // A campaign's results must not depend on which driver ran a seed (DESIGN.md §2), but each driver's host
        // has its own name (/user/leaseactors-sim-N): record Path.Name, or the path below ".../run".
        using var other = new SimulationDriver(fixture.System);
        Func<IActorRef, string> belowRun = r => string.Join('/', r.Path.Elements.SkipWhile(e => e != "run"));

        var full = new[] { fixture.Driver, other }.Select(d =>
            d.Run(new RunOptions(), run => Props.Create(() => new Namer(run.Trace, r => r.Path.ToStringWithoutAddress()))).TraceSha256).ToList();
        var relative = new[] { fixture.Driver, other }.Select(d =>
            d.Run(new RunOptions(), run => Props.Create(() => new Namer(run.Trace, belowRun))).TraceSha256).ToList();

        Assert.Equal(2, full.Distinct().Count());
        Assert.Single(relative.Distinct());
    }

    private sealed class Namer : ReceiveActor
    {
        public Namer(RunTrace trace, Func<IActorRef, string> describe)
        {
            for (var i = 0; i < 3; i++)
                trace.Record(new TraceEvent("named", ("actor", describe(Context.ActorOf(Props.Create(() => new Idle()), "c" + i)))));
        }
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }
}
