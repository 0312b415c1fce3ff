using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;
using LeaseActors.Simulation.Time;

namespace LeaseActors.Simulation;

/// <summary>
/// Akka's scheduler for an <see cref="ActorSystem"/> that hosts simulation runs: on a thread that is driving a
/// run it gives that run's virtual time and timers; on every other thread it is Akka's ordinary
/// <see cref="HashedWheelTimerScheduler"/> in real time.
/// </summary>
/// <remarks>
/// Installed with <c>akka.scheduler.implementation</c> (see <see cref="SimulationSetup.Config"/>). Because
/// actors reach the scheduler only through Akka's own API (<c>IWithTimers</c>, <c>ScheduleTellOnce</c>,
/// <c>ReceiveTimeout</c>, <c>Scheduler.Now</c>), unchanged actors get virtual time inside a run. Virtual
/// time starts at <see cref="Epoch"/> for every run.
/// </remarks>
public sealed class SimulationScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    /// <summary>The fixed instant at which every run's virtual time starts: 2019-08-24T00:11:24Z, the seed email.</summary>
    public static readonly DateTimeOffset Epoch = new(2019, 8, 24, 0, 11, 24, TimeSpan.Zero);

    private readonly HashedWheelTimerScheduler _real;

    /// <summary>Created by Akka from <c>akka.scheduler.implementation</c>.</summary>
    public SimulationScheduler(Config scheduler, ILoggingAdapter log) : base(scheduler, log)
    {
        _real = new HashedWheelTimerScheduler(scheduler, log);
    }

    private static VirtualClock? VirtualClockOfThisThread => SimulationDriver.ActiveClock;

    /// <inheritdoc />
    protected override DateTimeOffset TimeNow =>
        VirtualClockOfThisThread is { } clock ? Epoch.AddTicks(clock.NowTicks) : ((IScheduler)_real).Now;

    /// <inheritdoc />
    public override TimeSpan MonotonicClock =>
        VirtualClockOfThisThread is { } clock ? TimeSpan.FromTicks(clock.NowTicks) : _real.MonotonicClock;

    /// <inheritdoc />
    public override TimeSpan HighResMonotonicClock =>
        VirtualClockOfThisThread is { } clock ? TimeSpan.FromTicks(clock.NowTicks) : _real.HighResMonotonicClock;

    /// <inheritdoc />
    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
    {
        if (VirtualClockOfThisThread is { } clock) clock.Add(delay.Ticks, PendingTimer.Tell(receiver, message, sender, cancelable));
        else ((ITellScheduler)_real).ScheduleTellOnce(delay, receiver, message, sender, cancelable);
    }

    /// <inheritdoc />
    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
    {
        if (VirtualClockOfThisThread is { } clock) clock.Add(initialDelay.Ticks, PendingTimer.Tell(receiver, message, sender, cancelable, interval.Ticks));
        else ((ITellScheduler)_real).ScheduleTellRepeatedly(initialDelay, interval, receiver, message, sender, cancelable);
    }

    /// <inheritdoc />
    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable)
    {
        if (VirtualClockOfThisThread is { } clock) clock.Add(delay.Ticks, PendingTimer.Run(action, cancelable));
        else ((IAdvancedScheduler)_real).ScheduleOnce(delay, action, cancelable);
    }

    /// <inheritdoc />
    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable)
    {
        if (VirtualClockOfThisThread is { } clock) clock.Add(delay.Ticks, PendingTimer.Run(action, cancelable));
        else ((IAdvancedScheduler)_real).ScheduleOnce(delay, action, cancelable);
    }

    /// <inheritdoc />
    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable)
    {
        if (VirtualClockOfThisThread is { } clock) clock.Add(initialDelay.Ticks, PendingTimer.Run(action, cancelable, interval.Ticks));
        else ((IAdvancedScheduler)_real).ScheduleRepeatedly(initialDelay, interval, action, cancelable);
    }

    /// <inheritdoc />
    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable)
    {
        if (VirtualClockOfThisThread is { } clock) clock.Add(initialDelay.Ticks, PendingTimer.Run(action, cancelable, interval.Ticks));
        else ((IAdvancedScheduler)_real).ScheduleRepeatedly(initialDelay, interval, action, cancelable);
    }

    /// <summary>Stops the real-time timer thread.</summary>
    public void Dispose() => _real.Dispose();
}
