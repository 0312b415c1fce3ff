using Akka.Actor;

namespace LeaseActors.Kernel;

/// <summary>
/// The emulated kernel's time: what <c>jiffies</c> and lease-break deadlines are measured in, and what its trace
/// is stamped with. Every actor of a kernel reads time and starts timers through its kernel's clock.
/// </summary>
/// <remarks>
/// In a simulation the clock is the run's virtual clock (Akka's scheduler on the driver thread, see
/// LeaseActors.Simulation), read unchanged. In real-time mode it is Akka's ordinary scheduler with a time scale:
/// <see cref="Scale"/> virtual seconds pass per wall second, counted from the kernel's start, and a timer of d
/// virtual time is started for d / <see cref="Scale"/> of wall time (DESIGN.md §2).
/// </remarks>
public sealed class KernelClock
{
    private readonly IScheduler _scheduler;
    private readonly long _originTicks;
    private readonly bool _identity;

    private KernelClock(IScheduler scheduler, double scale, long originTicks)
    {
        _scheduler = scheduler;
        Scale = scale;
        _originTicks = originTicks;
        _identity = scale == 1.0 && originTicks == 0;
    }

    /// <summary>The simulation's clock: virtual time as Akka's scheduler gives it on the driver thread.</summary>
    internal static KernelClock Simulated(IScheduler scheduler) => new(scheduler, 1.0, 0);

    /// <summary>
    /// A real-time clock on <paramref name="scheduler"/> that starts at zero now and runs <paramref name="scale"/>
    /// times faster than the wall clock (50: one virtual second is 20 wall milliseconds).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not a positive finite number.</exception>
    public static KernelClock RealTime(IScheduler scheduler, double scale)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (!double.IsFinite(scale) || scale <= 0)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the time scale must be a positive number of virtual seconds per wall second");
        return new KernelClock(scheduler, scale, scheduler.MonotonicClock.Ticks);
    }

    /// <summary>
    /// A real-time clock on <paramref name="scheduler"/> whose zero is the wall time <paramref name="originUtc"/>, so the
    /// clocks of a kernel's nodes (one per actor system, on one machine or several) read the same kernel time, to within
    /// how well the machines' wall clocks agree.
    /// </summary>
    internal static KernelClock RealTimeSince(IScheduler scheduler, double scale, DateTime originUtc)
    {
        var clock = RealTime(scheduler, scale);
        var elapsed = DateTime.UtcNow - originUtc;
        return new KernelClock(scheduler, scale, clock._originTicks - elapsed.Ticks);
    }

    /// <summary>Virtual seconds per wall second (1 in a simulation, where there is no wall clock).</summary>
    public double Scale { get; }

    /// <summary>The kernel's current time, in ticks since it started.</summary>
    public long NowTicks => _identity ? _scheduler.MonotonicClock.Ticks : (long)((_scheduler.MonotonicClock.Ticks - _originTicks) * Scale);

    /// <summary>The kernel's current time since it started.</summary>
    public TimeSpan Now => TimeSpan.FromTicks(NowTicks);

    /// <summary>The wall (scheduler) delay after which <paramref name="virtualDelay"/> of kernel time has passed.</summary>
    public TimeSpan ToScheduler(TimeSpan virtualDelay) =>
        _identity || virtualDelay <= TimeSpan.Zero ? virtualDelay : TimeSpan.FromTicks((long)Math.Ceiling(virtualDelay.Ticks / Scale));

    /// <summary>Starts a single timer of <paramref name="virtualDelay"/> kernel time on an actor's timers.</summary>
    internal void StartTimer(ITimerScheduler timers, object key, object message, TimeSpan virtualDelay) =>
        timers.StartSingleTimer(key, message, ToScheduler(virtualDelay));
}
