using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

/// <summary>
/// Async code inside a run (AKKA-SIMULATION-NOTES "Async code"): whatever reaches the run from another thread
/// must be reported, naming the actor it reached.
/// </summary>
/// <remarks>
/// The actors here keep the run busy (a message to themselves per step) until the outside result arrives, so
/// the run is still live when it does: a result that arrives after a run has ended reaches a stopped actor and
/// cannot be attributed to the run (see docs/simulation.md). The step limit only bounds a broken engine.
/// </remarks>
public sealed class SimulationDriverLeakTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    private static readonly RunOptions Reporting = new() { Seed = 3, ThrowOnLeak = false, StepLimit = 200_000_000 };

    [Fact]
    public void Task_Delay_piped_to_self_is_reported_as_a_leak_naming_the_actor()
    {
        var result = fixture.Driver.Run(Reporting, run => Props.Create(() => new Waiter(run.Trace, WaitFor.Delay)));

        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(["got m=delayed"], Received(result));
        var leak = Assert.Single(result.Leaks);
        Assert.Contains($"/user/{fixture.Driver.Name}/run/waiter", leak, StringComparison.Ordinal);
        Assert.Contains("another thread", leak, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answered_Ask_with_a_timeout_is_reported_as_a_leak_naming_the_actor()
    {
        var result = fixture.Driver.Run(Reporting, run => Props.Create(() => new Waiter(run.Trace, WaitFor.AnsweredAsk)));

        Assert.Equal(["got m=answer"], Received(result));
        Assert.Contains(result.Leaks, leak => leak.Contains($"/user/{fixture.Driver.Name}/run/waiter", StringComparison.Ordinal));
    }

    [Fact]
    public void An_Ask_that_times_out_is_reported_as_a_leak_naming_the_actor()
    {
        var result = fixture.Driver.Run(Reporting, run => Props.Create(() => new Waiter(run.Trace, WaitFor.UnansweredAsk)));

        Assert.Equal(["got m=AskTimeoutException"], Received(result));
        Assert.Contains(result.Leaks, leak => leak.Contains($"/user/{fixture.Driver.Name}/run/waiter", StringComparison.Ordinal));
    }

    [Fact]
    public void A_top_level_actor_created_from_inside_a_run_is_reported_when_it_answers()
    {
        // system.ActorOf puts the actor under /user, outside the driver's host: it runs on the default dispatcher.
        var result = fixture.Driver.Run(Reporting, run => Props.Create(() => new Waiter(run.Trace, WaitFor.TopLevelActor)));

        Assert.Equal(["got m=answer"], Received(result));
        Assert.Contains(result.Leaks, leak => leak.StartsWith(
            $"a message (String) for /user/{fixture.Driver.Name}/run/waiter was sent from another thread", StringComparison.Ordinal));
    }

    [Fact]
    public void Watching_an_actor_outside_the_run_is_reported_when_its_termination_arrives()
    {
        var outside = fixture.System.ActorOf(Props.Create(() => new Answerer(false)));

        var result = fixture.Driver.Run(Reporting, run => Props.Create(() => new WatchesOutside(run.Trace, outside)));

        Assert.Equal(["terminated"], result.Trace.Entries.Select(e => e.Event.Kind));
        Assert.Contains(result.Leaks, leak => leak.StartsWith(
            $"a system message (DeathWatchNotification) for /user/{fixture.Driver.Name}/run was sent from another thread", StringComparison.Ordinal));
    }

    [Fact]
    public void A_leaking_run_throws_a_SimulationLeakException_naming_the_actor_by_default()
    {
        var options = Reporting with { ThrowOnLeak = true };

        var exception = Assert.Throws<SimulationLeakException>(() =>
            fixture.Driver.Run(options, run => Props.Create(() => new Waiter(run.Trace, WaitFor.Delay))));

        Assert.Contains($"/user/{fixture.Driver.Name}/run/waiter", exception.Message, StringComparison.Ordinal);
        Assert.Contains("seed 3", exception.Message, StringComparison.Ordinal);
        Assert.NotEmpty(exception.Result.Leaks);
    }

    [Fact]
    public void The_driver_serves_a_clean_run_after_a_leaking_one()
    {
        Assert.Throws<SimulationLeakException>(() =>
            fixture.Driver.Run(Reporting with { ThrowOnLeak = true }, run => Props.Create(() => new Waiter(run.Trace, WaitFor.Delay))));

        var clean = fixture.Driver.Run(new RunOptions { Seed = 3 }, run => TestActors.PingPong(run, 5));

        Assert.Empty(clean.Leaks);
        Assert.Equal(5, clean.Trace.Entries.Count);
    }

    [Fact]
    public void An_actor_still_awaiting_an_outside_task_when_the_run_ends_is_reported_as_a_leak()
    {
        // Regression: a ReceiveAsync awaiting something that only another thread can complete suspends its
        // mailbox, so the run reached quiescence and ended early, silently, whether or not the task completed.
        var result = fixture.Driver.Run(Reporting, run => Props.Create(() => new Awaiter(run.Trace, new TaskCompletionSource().Task)));

        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(["awaiting"], result.Trace.Entries.Select(e => e.Event.Kind));
        var leak = Assert.Single(result.Leaks);
        Assert.StartsWith($"actor /user/{fixture.Driver.Name}/run/awaiter was still suspended when the run ended", leak, StringComparison.Ordinal);
    }

    [Fact]
    public void ReceiveAsync_awaiting_Task_Delay_fails_the_run_even_if_the_delay_fires_after_it()
    {
        var exception = Assert.Throws<SimulationLeakException>(() => fixture.Driver.Run(new RunOptions { Seed = 3 },
            run => Props.Create(() => new Awaiter(run.Trace, Task.Delay(TimeSpan.FromMinutes(5))))));

        Assert.Contains("run/awaiter was still suspended", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReceiveAsync_that_awaits_only_the_actors_own_scheduler_is_deterministic_and_leak_free()
    {
        var results = RunAssert.Deterministic(fixture.Driver, run => Props.Create(() => new YieldingRoot(run.Trace)), seeds: 10);

        Assert.All(results, r => Assert.Equal(
            ["before m=x", "after m=x", "before m=y", "after m=y"],
            RunAssert.LinesWhere(r, "actor", "a").Select(l => l.Replace(" actor=a", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_late_message_for_an_earlier_runs_actor_is_not_blamed_on_the_run_it_arrives_in()
    {
        // Regression: an outside task that outlived run 1 (undetectable then: the run had already ended) was
        // reported as a leak and a dead letter of whichever run was live when it completed, naming a path that
        // looked like that run's own actor. It is now counted on the driver as a late leak.
        using var host = new SimulationFixture();
        var outside = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = host.Driver.Run(Reporting, _ => Props.Create(() => new Piper(outside.Task)));

        var second = host.Driver.Run(Reporting, _ => Props.Create(() => new CompletesAndWaits(outside, host.Driver)));

        Assert.Empty(first.Leaks);
        Assert.Empty(second.Leaks);
        Assert.Equal(0, second.DeadLetters);
        Assert.Equal([$"a message (String) for /user/{host.Driver.Name}/run/piper arrived from another thread after its run had ended"],
            host.Driver.LateLeaks);
        Assert.Equal(1, host.Driver.LateLeakCount);
    }

    [Fact]
    public void A_late_message_that_arrives_between_runs_is_counted_as_a_late_leak()
    {
        using var host = new SimulationFixture();
        var outside = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Driver.Run(Reporting, _ => Props.Create(() => new Piper(outside.Task)));

        outside.SetResult("late");

        // The continuation runs on the thread pool, which hands it to the idle driver: wait (bounded) for it.
        Assert.True(SpinWait.SpinUntil(() => host.Driver.LateLeakCount > 0, TimeSpan.FromSeconds(10)), "the late message never arrived");
        Assert.Contains("run/piper arrived from another thread after its run had ended", Assert.Single(host.Driver.LateLeaks), StringComparison.Ordinal);
    }

    private sealed class Piper : ReceiveActor
    {
        public Piper(Task<string> outside) => Context.ActorOf(Props.Create(() => new PipesToSelf(outside)), "piper");
    }

    private sealed class PipesToSelf : ReceiveActor
    {
        public PipesToSelf(Task<string> outside)
        {
            outside.PipeTo(Self);
            ReceiveAny(_ => { });
        }
    }

    /// <summary>Completes run 1's outside task, then messages itself until the driver has seen the late message.</summary>
    private sealed class CompletesAndWaits : ReceiveActor
    {
        public CompletesAndWaits(TaskCompletionSource<string> outside, SimulationDriver driver)
        {
            outside.SetResult("late");
            Self.Tell(Spin.Instance);
            Receive<Spin>(_ =>
            {
                if (driver.LateLeakCount == 0) Self.Tell(Spin.Instance);
            });
        }
    }

    private static string[] Received(RunResult result) => [.. result.Trace.Entries.Select(e => e.Event.ToString()!)];

    private enum WaitFor { Delay, AnsweredAsk, UnansweredAsk, TopLevelActor }

    /// <summary>Parent of a "waiter" that starts outside work, then messages itself until its result arrives.</summary>
    private sealed class Waiter : ReceiveActor
    {
        public Waiter(RunTrace trace, WaitFor what) =>
            Context.ActorOf(Props.Create(() => new WaiterChild(trace, what)), "waiter");
    }

    private sealed class WaiterChild : ReceiveActor
    {
        public WaiterChild(RunTrace trace, WaitFor what)
        {
            var answerer = Context.ActorOf(Props.Create(() => new Answerer(what == WaitFor.AnsweredAsk)), "answerer");
            switch (what)
            {
                case WaitFor.Delay:
                    // The delay starts only once PipeTo waits for it: a Task.Delay(1) that completed first (while
                    // PipeTo was being compiled, say) would be piped synchronously, on this thread, unseen.
                    var start = new TaskCompletionSource();
                    start.Task.ContinueWith(async _ =>
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                        return "delayed";
                    }, TaskScheduler.Default).Unwrap().PipeTo(Self);
                    start.SetResult();
                    break;
                case WaitFor.TopLevelActor:
#pragma warning disable AK1008 // the mistake this test is about
                    Context.System.ActorOf(Props.Create(() => new Answerer(true))).Tell("question");
#pragma warning restore AK1008
                    break;
                default:
                    // Answered: a timeout far longer than the run needs. Unanswered: long enough that PipeTo subscribes before
                    // it fires (else the failure would be piped synchronously, unseen), short enough to keep the test brief.
                    var timeout = what == WaitFor.AnsweredAsk ? TimeSpan.FromSeconds(30) : TimeSpan.FromMilliseconds(100);
                    answerer.Ask<string>("question", timeout)
                        .PipeTo(Self, success: answer => answer, failure: e => e.GetType().Name);
                    break;
            }
            Self.Tell(Spin.Instance);
            Receive<Spin>(_ => Self.Tell(Spin.Instance));
            Receive<string>(s =>
            {
                trace.Record(new TraceEvent("got", ("m", s)));
                Become(() => ReceiveAny(_ => { }));
            });
        }
    }

    private sealed class Awaiter : ReceiveActor
    {
        public Awaiter(RunTrace trace, Task outside) =>
            Context.ActorOf(Props.Create(() => new AwaiterChild(trace, outside)), "awaiter").Tell("go");
    }

    private sealed class AwaiterChild : ReceiveActor
    {
        public AwaiterChild(RunTrace trace, Task outside) =>
            ReceiveAsync<string>(async _ =>
            {
                trace.Record(new TraceEvent("awaiting"));
                await outside;
                trace.Record(new TraceEvent("resumed"));
            });
    }

    private sealed class YieldingRoot : ReceiveActor
    {
        public YieldingRoot(RunTrace trace)
        {
            foreach (var name in new[] { "a", "b" })
            {
                var child = Context.ActorOf(Props.Create(() => new Yielding(trace, name)), name);
                child.Tell("x");
                child.Tell("y");
            }
        }
    }

    /// <summary>Awaits Task.Yield, whose continuation Akka's ActorTaskScheduler runs as the actor's next turn.</summary>
    private sealed class Yielding : ReceiveActor
    {
        public Yielding(RunTrace trace, string name) =>
            ReceiveAsync<string>(async m =>
            {
                trace.Record(new TraceEvent("before", ("actor", name), ("m", m)));
                await Task.Yield();
                trace.Record(new TraceEvent("after", ("actor", name), ("m", m)));
            });
    }

    /// <summary>Watches an actor that lives outside the run, stops it, and messages itself until Terminated arrives.</summary>
    private sealed class WatchesOutside : ReceiveActor
    {
        public WatchesOutside(RunTrace trace, IActorRef outside)
        {
            Context.Watch(outside);
            outside.Tell(PoisonPill.Instance);
            Self.Tell(Spin.Instance);
            Receive<Spin>(_ => Self.Tell(Spin.Instance));
            Receive<Terminated>(_ =>
            {
                trace.Record(new TraceEvent("terminated"));
                Become(() => ReceiveAny(_ => { }));
            });
        }
    }

    private sealed class Answerer : ReceiveActor
    {
        public Answerer(bool answer) => ReceiveAny(_ => { if (answer) Sender.Tell("answer"); });
    }

    private sealed class Spin
    {
        public static readonly Spin Instance = new();
    }
}
