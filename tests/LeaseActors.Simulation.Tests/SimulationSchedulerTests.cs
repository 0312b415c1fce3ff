using Akka.Actor;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests;

// These tests use ScheduleTellOnce/ScheduleTellRepeatedly on purpose: actors written that way must get virtual
// time too. The Akka analyzer's advice (prefer IWithTimers) is right for production actors, not for this file.
#pragma warning disable AK1004

/// <summary>
/// Virtual time (DESIGN.md §2): Akka's own timer APIs, unchanged, see the run's clock, which starts at
/// <see cref="SimulationScheduler.Epoch"/> and jumps to the next timer when nothing is ready.
/// </summary>
public sealed class SimulationSchedulerTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Timers_ScheduleTell_ReceiveTimeout_and_Now_all_see_virtual_time_from_the_epoch()
    {
        var result = fixture.Driver.Run(new RunOptions { Seed = 1 }, run => Props.Create(() => new ClockUser(run)));

        (string, TimeSpan)[] expected =
        [
            ("start", S(0)), ("rep", S(3)), ("single", S(5)), ("once", S(7)), ("rep", S(7)), ("tick", S(10)),
            ("rep", S(11)), ("tick", S(20)), ("tick", S(30)), ("timeout", S(90)),
        ];
        Assert.Equal(expected, result.Trace.Entries.Select(e => (e.Event.Kind, e.Time)));
        foreach (var entry in result.Trace.Entries)
        {
            var e = (TraceEvent)entry.Event;
            Assert.Equal(SimulationScheduler.Epoch + entry.Time, (DateTimeOffset)e["now"]!);
            Assert.Equal(entry.Time, (TimeSpan)e["monotonic"]!);
            Assert.Equal(entry.Time, (TimeSpan)e["elapsed"]!);
        }
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(S(90), result.VirtualTime);
        Assert.Equal(9, result.TimersFired);
    }

    [Fact]
    public void Every_run_starts_at_the_epoch()
    {
        fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new OneTimer(S(45))));

        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new ClockUser(run)));

        Assert.Equal(TimeSpan.Zero, result.Trace.Entries[0].Time);
        Assert.Equal(SimulationScheduler.Epoch, (DateTimeOffset)((TraceEvent)result.Trace.Entries[0].Event)["now"]!);
    }

    [Fact]
    public void The_epoch_is_the_date_of_the_seed_email()
    {
        Assert.Equal(new DateTimeOffset(2019, 8, 24, 0, 11, 24, TimeSpan.Zero), SimulationScheduler.Epoch);
    }

    [Fact]
    public void Outside_a_run_the_scheduler_gives_real_time()
    {
        Assert.True(fixture.System.Scheduler.Now > SimulationScheduler.Epoch.AddYears(5));
    }

    [Fact]
    public void Timers_due_at_the_same_instant_deliver_in_scheduling_order()
    {
        for (ulong seed = 0; seed < 10; seed++)
        {
            var result = fixture.Driver.Run(new RunOptions { Seed = seed }, run => Props.Create(() => new SameInstant(run)));

            var scheduled = result.Trace.Entries.Where(e => e.Event.Kind == "scheduled").Select(Label).ToList();
            var received = result.Trace.Entries.Where(e => e.Event.Kind == "received").Select(Label).ToList();
            Assert.Equal(20, scheduled.Count);
            Assert.Equal(scheduled, received);
            Assert.All(result.Trace.Entries.Where(e => e.Event.Kind == "received"), e => Assert.Equal(S(2), e.Time));
        }
    }

    [Fact]
    public void Scheduled_actions_due_at_the_same_instant_run_in_scheduling_order()
    {
        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new SameInstantActions(run.Trace)));

        Assert.Equal(["c", "a", "e", "b", "d"], result.Trace.Entries.Select(Label));
        Assert.All(result.Trace.Entries, e => Assert.Equal(S(4), e.Time));
    }

    [Fact]
    public void A_cancelled_timer_never_fires_and_does_not_advance_the_clock()
    {
        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new Canceller(run.Trace)));

        Assert.Equal(["early"], result.Trace.Entries.Select(e => e.Event.Kind));
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(S(10), result.VirtualTime);
        Assert.Equal(1, result.TimersFired);
    }

    [Fact]
    public void Timers_cancelled_before_any_time_passes_leave_the_run_at_time_zero()
    {
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new CancelAtOnce()));

        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(TimeSpan.Zero, result.VirtualTime);
        Assert.Equal(0, result.TimersFired);
    }

    [Fact]
    public void A_run_with_a_single_45_second_timer_ends_by_quiescence_at_exactly_45_seconds()
    {
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new OneTimer(S(45))));

        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(S(45), result.VirtualTime);
        Assert.Equal(1, result.TimersFired);
    }

    [Fact]
    public void A_timer_beyond_the_horizon_ends_the_run_at_the_horizon_without_firing()
    {
        var result = fixture.Driver.Run(new RunOptions { Horizon = S(30) }, _ => Props.Create(() => new OneTimer(S(45))));

        Assert.Equal(RunEndReason.Horizon, result.EndedBy);
        Assert.Equal(S(30), result.VirtualTime);
        Assert.Equal(0, result.TimersFired);
    }

    [Fact]
    public void A_timer_due_exactly_at_the_horizon_fires()
    {
        var result = fixture.Driver.Run(new RunOptions { Horizon = S(45) }, _ => Props.Create(() => new OneTimer(S(45))));

        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Equal(S(45), result.VirtualTime);
        Assert.Equal(1, result.TimersFired);
    }

    [Fact]
    public void A_periodic_timer_that_is_never_cancelled_ends_the_run_at_the_horizon()
    {
        var result = fixture.Driver.Run(new RunOptions { Horizon = TimeSpan.FromMinutes(1) }, _ => Props.Create(() => new Ticker()));

        Assert.Equal(RunEndReason.Horizon, result.EndedBy);
        Assert.Equal(TimeSpan.FromMinutes(1), result.VirtualTime);
        Assert.Equal(6, result.TimersFired); // at 10, 20, …, 60 s: a tick due at the horizon still fires
    }

    [Fact]
    public void An_actor_that_messages_itself_forever_ends_by_the_step_limit()
    {
        var result = fixture.Driver.Run(new RunOptions { StepLimit = 1_000 }, _ => Props.Create(() => new Forever()));

        Assert.Equal(RunEndReason.StepLimit, result.EndedBy);
        Assert.Equal(1_000, result.Steps);
        Assert.Equal(TimeSpan.Zero, result.VirtualTime);
    }

    [Fact]
    public async Task An_action_that_reschedules_itself_with_no_delay_ends_by_the_step_limit()
    {
        // Regression: the clock fired every timer due at the current instant, including the ones those timers
        // added with no delay, so such an action kept the driver in one instant forever. Timers fired are now
        // bounded by the step limit as mailbox turns are. (WaitAsync turns the former hang into a failure.)
        var result = await Task.Run(() => fixture.Driver.Run(new RunOptions { StepLimit = 1_000 },
            _ => Props.Create(() => new Rescheduler()))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RunEndReason.StepLimit, result.EndedBy);
        Assert.Equal(1_000, result.TimersFired);
        Assert.Equal(TimeSpan.Zero, result.VirtualTime);
    }

    private sealed class Rescheduler : ReceiveActor
    {
        public Rescheduler()
        {
            var scheduler = Context.System.Scheduler.Advanced;
            void Again() => scheduler.ScheduleOnce(TimeSpan.Zero, Again);
            Again();
        }
    }

    [Fact]
    public void A_hundred_thousand_pending_timers_all_fire_at_their_due_times()
    {
        const int count = 100_000;

        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new ManyTimers(run.Trace, count)));

        var summary = (TraceEvent)Assert.Single(result.Trace.Entries).Event;
        Assert.Equal(count, summary["received"]);
        Assert.Equal(0, summary["late"]);
        Assert.Equal(0, summary["out-of-order"]);
        Assert.Equal(count, result.TimersFired);
        Assert.Equal(TimeSpan.FromMilliseconds(count), result.VirtualTime);
        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
    }

    [Fact]
    public void A_timer_with_a_huge_delay_never_fires_before_the_horizon()
    {
        // Regression: the due time was now + delay in plain long arithmetic, which wrapped to a negative instant
        // (due at once) for delays near TimeSpan.MaxValue once any virtual time had passed.
        var result = fixture.Driver.Run(new RunOptions { Horizon = S(60) }, run => Props.Create(() => new HugeDelay(run.Trace)));

        Assert.Equal(["armed"], result.Trace.Entries.Select(e => e.Event.Kind));
        Assert.Equal(RunEndReason.Horizon, result.EndedBy);
        Assert.Equal(S(60), result.VirtualTime);
    }

    [Fact]
    public void A_run_driven_inside_another_drivers_run_gives_the_outer_run_its_virtual_clock_back()
    {
        // Regression: the inner run cleared the thread's virtual clock on the way out, so the outer run's later
        // timers went to the real-time scheduler and the outer run ended at once, its timer lost.
        using var inner = new SimulationDriver(fixture.System);

        var result = fixture.Driver.Run(new RunOptions(), run => Props.Create(() => new RunsASubSimulation(run.Trace, inner)));

        Assert.Equal(["inner ran", "outer timer"], result.Trace.Entries.Select(e => e.Event.Kind));
        Assert.Equal(S(5), result.Trace.Entries[1].Time);
        Assert.Equal(S(5), result.VirtualTime);
        Assert.Equal(1, result.TimersFired);
        Assert.Empty(result.Leaks);
    }

    private sealed class RunsASubSimulation : ReceiveActor, IWithTimers
    {
        public RunsASubSimulation(RunTrace trace, SimulationDriver inner)
        {
            Receive<string>(m => m == "go", _ =>
            {
                var sub = inner.Run(new RunOptions(), _ => Props.Create(() => new OneTimer(S(45))));
                trace.Record(new TraceEvent("inner ran", ("at", sub.VirtualTime)));
                Timers.StartSingleTimer("outer", "outer timer", S(5));
            });
            Receive<string>(m => trace.Record(new TraceEvent(m)));
            Self.Tell("go");
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private static string Label(TraceEntry entry) => (string)((TraceEvent)entry.Event)["label"]!;

    private static TraceEvent At(string kind, RunContext run, IActorContext context) =>
        new(kind, ("now", context.System.Scheduler.Now), ("monotonic", context.System.Scheduler.MonotonicClock),
            ("elapsed", run.Elapsed));

    /// <summary>Uses every timer API once; see the expected timeline in the test above.</summary>
    private sealed class ClockUser : ReceiveActor, IWithTimers
    {
        private readonly RunContext _run;
        private ICancelable? _repeated;
        private int _reps;
        private int _ticks;

        public ClockUser(RunContext run)
        {
            _run = run;
            Receive<string>(message =>
            {
                _run.Trace.Record(At(message, _run, Context));
                if (message == "rep" && ++_reps == 3) _repeated!.Cancel();
                if (message == "tick" && ++_ticks == 3) Timers.Cancel("tick");
            });
            Receive<ReceiveTimeout>(_ =>
            {
                _run.Trace.Record(At("timeout", _run, Context));
                Context.SetReceiveTimeout(null);
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            _run.Trace.Record(At("start", _run, Context));
            Timers.StartSingleTimer("single", "single", S(5));
            Timers.StartPeriodicTimer("tick", "tick", S(10));
            Context.System.Scheduler.ScheduleTellOnce(S(7), Self, "once", Self);
            _repeated = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(S(3), S(4), Self, "rep", Self);
            Context.SetReceiveTimeout(S(60));
        }
    }

    /// <summary>Schedules 20 timers due at 2 s, in an order drawn from the run's random stream.</summary>
    private sealed class SameInstant : ReceiveActor
    {
        public SameInstant(RunContext run)
        {
            var labels = Enumerable.Range(0, 20).Select(i => "t" + i).ToList();
            for (var i = labels.Count - 1; i > 0; i--)
            {
                var j = run.Random.Next(i + 1);
                (labels[i], labels[j]) = (labels[j], labels[i]);
            }
            foreach (var label in labels)
            {
                run.Trace.Record(new TraceEvent("scheduled", ("label", label)));
                Context.System.Scheduler.ScheduleTellOnce(S(2), Self, label, Self);
            }
            Receive<string>(label => run.Trace.Record(new TraceEvent("received", ("label", label))));
        }
    }

    private sealed class SameInstantActions : ReceiveActor
    {
        public SameInstantActions(RunTrace trace)
        {
            foreach (var label in new[] { "c", "a", "e", "b", "d" })
                Context.System.Scheduler.Advanced.ScheduleOnce(S(4), () => trace.Record(new TraceEvent("action", ("label", label))));
        }
    }

    private sealed class Canceller : ReceiveActor
    {
        public Canceller(RunTrace trace)
        {
            var late = Context.System.Scheduler.ScheduleTellOnceCancelable(S(45), Self, "late", Self);
            Context.System.Scheduler.ScheduleTellOnce(S(10), Self, "early", Self);
            Receive<string>(message =>
            {
                trace.Record(new TraceEvent(message));
                late.Cancel();
            });
        }
    }

    private sealed class CancelAtOnce : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            Context.System.Scheduler.ScheduleTellOnceCancelable(S(45), Self, "late", Self).Cancel();
            Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(S(1), S(1), Self, "rep", Self).Cancel();
            Timers.StartSingleTimer("single", "single", S(20));
            Timers.StartPeriodicTimer("tick", "tick", S(3));
            Timers.CancelAll();
        }
    }

    private sealed class OneTimer : ReceiveActor
    {
        public OneTimer(TimeSpan delay)
        {
            Context.System.Scheduler.ScheduleTellOnce(delay, Self, "fired", Self);
            ReceiveAny(_ => { });
        }
    }

    private sealed class Ticker : ReceiveActor, IWithTimers
    {
        public Ticker() => ReceiveAny(_ => { });

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", "tick", S(10));
    }

    private sealed class Forever : ReceiveActor
    {
        public Forever()
        {
            Receive<string>(_ => Self.Tell("again"));
            Self.Tell("again");
        }
    }

    /// <summary>Schedules timers due at 1 ms, 2 ms, … count ms in a scrambled order; checks each arrives on time.</summary>
    private sealed class ManyTimers : ReceiveActor
    {
        public ManyTimers(RunTrace trace, int count)
        {
            var scheduler = Context.System.Scheduler;
            for (var i = 0; i < count; i++)
            {
                var due = (int)((long)i * 7919 % count) + 1; // 7919 is prime, so this permutes 1..count
                scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(due), Self, due, Self);
            }
            int received = 0, late = 0, outOfOrder = 0, last = 0;
            Receive<int>(due =>
            {
                received++;
                if (scheduler.Now != SimulationScheduler.Epoch.AddMilliseconds(due)) late++;
                if (due <= last) outOfOrder++;
                last = due;
                if (received == count)
                    trace.Record(new TraceEvent("summary", ("received", received), ("late", late), ("out-of-order", outOfOrder)));
            });
        }
    }

    private sealed class HugeDelay : ReceiveActor
    {
        public HugeDelay(RunTrace trace)
        {
            Context.System.Scheduler.ScheduleTellOnce(S(1), Self, "arm", Self);
            Receive<string>(message =>
            {
                if (message != "arm")
                {
                    trace.Record(new TraceEvent(message));
                    return;
                }
                trace.Record(new TraceEvent("armed"));
                Context.System.Scheduler.ScheduleTellOnce(TimeSpan.MaxValue, Self, "never", Self);
            });
        }
    }
}
