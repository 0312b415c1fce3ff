using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

/// <summary>What the engine reports about a run besides its trace: dead letters and failures of the root.</summary>
public sealed class SimulationDriverOutcomeTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    [Fact]
    public void Dead_letters_inside_a_run_are_counted_with_samples_naming_type_and_recipient()
    {
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new WritesToTheDead(3)));

        Assert.Equal(3, result.DeadLetters);
        Assert.Equal(Enumerable.Repeat($"String → /user/{fixture.Driver.Name}/run/gone", 3), result.DeadLetterSamples);
        Assert.Empty(result.Leaks);
    }

    [Fact]
    public void Dead_letter_samples_stop_at_ten_while_the_count_goes_on()
    {
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new WritesToTheDead(25)));

        Assert.Equal(25, result.DeadLetters);
        Assert.Equal(10, result.DeadLetterSamples.Length);
    }

    [Fact]
    public void Each_run_counts_only_its_own_dead_letters()
    {
        fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new WritesToTheDead(5)));

        var clean = fixture.Driver.Run(new RunOptions(), run => TestActors.PingPong(run, 3));

        Assert.Equal(0, clean.DeadLetters);
        Assert.Empty(clean.DeadLetterSamples);
    }

    [Fact]
    public void A_root_that_throws_in_its_constructor_is_reported_with_its_own_message()
    {
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new ThrowsAtBirth()));

        var failure = Assert.Single(result.Failures);
        Assert.StartsWith("ActorInitializationException", failure, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: the root failed on purpose", failure, StringComparison.Ordinal);
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
    }

    [Fact]
    public void A_root_that_fails_while_running_is_reported_and_stopped()
    {
        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new ThrowsLater(run.Trace)));

        Assert.Equal("InvalidOperationException: failing at 5 s", Assert.Single(result.Failures));
        Assert.Equal(["armed"], result.Trace.Entries.Select(e => e.Event.Kind));
        Assert.Equal(TimeSpan.FromSeconds(5), result.VirtualTime);
    }

    [Fact]
    public void Root_props_that_Akka_refuses_are_reported_as_the_runs_failure()
    {
        // Regression: Context.ActorOf threw inside the host, the /user guardian restarted the host from another
        // thread, and the run reported a leak ("a system message (Recreate) for /user/leaseactors-sim-N") and no
        // failure, hiding the actual mistake.
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new Silent()).WithMailbox("no-such-mailbox"));

        var failure = Assert.Single(result.Failures);
        Assert.StartsWith("ConfigurationException", failure, StringComparison.Ordinal);
        Assert.Contains("Mailbox Type [no-such-mailbox] not configured", failure, StringComparison.Ordinal);
        Assert.Empty(result.Leaks);
        Assert.Equal(4, fixture.Driver.Run(new RunOptions(), run => TestActors.PingPong(run, 4)).Trace.Entries.Count);
    }

    [Fact]
    public void The_driver_serves_the_next_run_after_a_failed_root()
    {
        fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new ThrowsAtBirth()));

        var next = fixture.Driver.Run(new RunOptions { Seed = 2 }, run => TestActors.PingPong(run, 4));

        Assert.Empty(next.Failures);
        Assert.Equal(4, next.Trace.Entries.Count);
        Assert.Equal(RunEndReason.Quiescence, next.EndedBy);
    }

    [Fact]
    public void A_scheduled_action_that_throws_is_reported_and_the_run_goes_on()
    {
        // Regression: the exception escaped Run, losing the result. Akka's own scheduler logs it, runs the other
        // timers, and does not repeat a failed repeating action; the engine does the same and reports it.
        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new ThrowingActions(run.Trace)));

        Assert.Equal(
        [
            "a scheduled action failed at 00:00:01: InvalidOperationException: once",
            "a scheduled action failed at 00:00:02: InvalidOperationException: repeating",
        ], result.Failures.ToArray());
        Assert.Equal([TimeSpan.FromSeconds(3)], result.Trace.Entries.Select(e => e.Time));
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(3, result.TimersFired);
    }

    [Fact]
    public void Run_checks_its_options_before_starting()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            fixture.Driver.Run(new RunOptions { StepLimit = 0 }, run => TestActors.PingPong(run, 1)));

        Assert.Contains("StepLimit", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Stops a child, and once it has terminated sends it <c>n</c> messages.</summary>
    private sealed class WritesToTheDead : ReceiveActor
    {
        public WritesToTheDead(int n)
        {
            var gone = Context.ActorOf(Props.Create(() => new Silent()), "gone");
            Context.Watch(gone);
            Context.Stop(gone);
            Receive<Terminated>(t =>
            {
                for (var i = 0; i < n; i++) t.ActorRef.Tell("hello?");
            });
        }
    }

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private sealed class ThrowsAtBirth : ReceiveActor
    {
        public ThrowsAtBirth() => throw new InvalidOperationException("the root failed on purpose");
    }

    private sealed class ThrowingActions : ReceiveActor
    {
        public ThrowingActions(RunTrace trace)
        {
            var scheduler = Context.System.Scheduler.Advanced;
            scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), () => throw new InvalidOperationException("once"));
            scheduler.ScheduleRepeatedly(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), () => throw new InvalidOperationException("repeating"));
            scheduler.ScheduleOnce(TimeSpan.FromSeconds(3), () => trace.Record(new TraceEvent("still running")));
        }
    }

    private sealed class ThrowsLater : ReceiveActor, IWithTimers
    {
        public ThrowsLater(RunTrace trace)
        {
            trace.Record(new TraceEvent("armed"));
            Receive<string>(_ => throw new InvalidOperationException("failing at 5 s"));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartSingleTimer("fail", "fail", TimeSpan.FromSeconds(5));
    }
}
