using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

/// <summary>
/// AKKA-SIMULATION-NOTES "Shutdown" and "A stray timer": terminating a system must not wait for a driver nobody
/// pumps, and the dispatcher's shutdown timer must never show up as a timer inside a run.
/// </summary>
public sealed class SimulationDriverShutdownTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public async Task ActorSystem_Terminate_with_a_live_driver_completes_instead_of_hanging()
    {
        var system = SimulationSetup.CreateSystem("terminate-live");
        var driver = new SimulationDriver(system);
        driver.Run(new RunOptions(), run => TestActors.PingPong(run, 3));

        // WaitAsync throws a TimeoutException if either takes longer (the trap was a 10 s hang).
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Run(driver.Dispose).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ActorSystem_Terminate_completes_for_a_driver_that_never_ran()
    {
        var system = SimulationSetup.CreateSystem("terminate-idle");
        using var driver = new SimulationDriver(system);

        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_driver_refuses_a_system_without_the_simulation_scheduler()
    {
        using var plain = ActorSystem.Create("plain");

        var exception = Assert.Throws<InvalidOperationException>(() => new SimulationDriver(plain));

        Assert.Contains("SimulationSetup", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_driver_refuses_to_run()
    {
        using var host = new SimulationFixture();
        var driver = new SimulationDriver(host.System);
        driver.Dispose();

        Assert.Throws<ObjectDisposedException>(() => driver.Run(new RunOptions(), run => TestActors.PingPong(run, 1)));
    }

    [Fact]
    public void The_dispatchers_shutdown_timer_never_appears_inside_a_run()
    {
        // If the run's last actor leaving the dispatcher left it empty, Akka would schedule its shutdown (1 s)
        // on the scheduler, i.e. on the run's virtual clock: the run would end at 1 s with a timer fired.
        for (var i = 0; i < 3; i++)
        {
            var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new StopsEverything(run.Trace)));

            Assert.Equal(["all stopped"], result.Trace.Entries.Select(e => e.Event.Kind));
            Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
            Assert.Equal(TimeSpan.Zero, result.VirtualTime);
            Assert.Equal(0, result.TimersFired);
        }
    }

    [Fact]
    public void A_run_after_one_whose_actors_all_stopped_starts_at_time_zero()
    {
        fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new StopsEverything(run.Trace)));

        var next = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new TimerAt45(run.Trace)));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(45)], next.Trace.Entries.Select(e => e.Time));
        Assert.Equal(1, next.TimersFired);
        Assert.Equal(RunEndReason.Quiescence, next.EndedBy);
    }

    /// <summary>Stops its children and then itself; records once every child has terminated.</summary>
    private sealed class StopsEverything : ReceiveActor
    {
        public StopsEverything(RunTrace trace)
        {
            var left = 3;
            for (var i = 0; i < 3; i++) Context.Watch(Context.ActorOf(Props.Create(() => new Idle()), "child" + i));
            foreach (var child in Context.GetChildren()) Context.Stop(child);
            Receive<Terminated>(_ =>
            {
                if (--left > 0) return;
                trace.Record(new TraceEvent("all stopped"));
                Context.Stop(Self);
            });
        }
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }

    private sealed class TimerAt45 : ReceiveActor, IWithTimers
    {
        public TimerAt45(RunTrace trace)
        {
            trace.Record(new TraceEvent("start"));
            Receive<string>(_ => trace.Record(new TraceEvent("fired")));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartSingleTimer("t", "t", TimeSpan.FromSeconds(45));
    }
}
