using Akka.Actor;
using Akka.Dispatch;

namespace LeaseActors.Simulation.Time;

/// <summary>
/// The virtual time of one run and its pending timers, ordered by (due time, scheduling order): O(log n) to add
/// or fire a timer, whatever the number pending.
/// </summary>
/// <remarks>
/// <para>Owned by one driver and touched only on its thread. Cancelled timers are dropped lazily when they reach
/// the top of their heap and never advance the clock.</para>
/// <para>The timers are split between two binary heaps, and the next timer is the earlier of the two heaps'
/// tops. Every (due, order) key is unique, so the firing order is the same however the timers are split; the
/// split only decides what an add or a fire costs. A timer goes to the <em>far</em> heap when that heap is
/// empty or the timer is due no earlier than the far heap's top, otherwise to the <em>near</em> heap. Thousands
/// of long timers (lease-break deadlines, timeouts) then sit in the far heap while the short timers of the
/// running exchange come and go in a near heap of a few entries: with 10^5 far-future timers pending, a 1 ms
/// timer chain's step cost stays what it is with none, instead of walking a 2.4 MB heap twice per step.</para>
/// </remarks>
internal sealed class VirtualClock
{
    private readonly PriorityQueue<PendingTimer, (long Due, long Order)> _near = new();
    private readonly PriorityQueue<PendingTimer, (long Due, long Order)> _far = new();
    private long _order;

    /// <summary>Virtual time elapsed since the run's epoch, in ticks of 100 ns.</summary>
    public long NowTicks { get; private set; }

    /// <summary>Timers added and not yet fired or dropped (cancelled ones included until they are dropped).</summary>
    public int PendingCount => _near.Count + _far.Count;

    /// <summary>
    /// Told about an exception thrown by a firing timer, which is then dropped (Akka's own scheduler logs it, runs
    /// the other timers, and does not repeat the failed one). Without a handler the exception propagates.
    /// </summary>
    public Action<Exception>? TimerFailed { get; set; }

    public void Reset()
    {
        _near.Clear();
        _far.Clear();
        _order = 0;
        NowTicks = 0;
    }

    public void Add(long delayTicks, PendingTimer timer)
    {
        if (delayTicks < 0) delayTicks = 0;
        // Saturate: a delay near TimeSpan.MaxValue ("never") must not wrap around to an instant in the past.
        var due = delayTicks > long.MaxValue - NowTicks ? long.MaxValue : NowTicks + delayTicks;
        var key = (due, _order++);
        if (!_far.TryPeek(out _, out var farTop) || Compare(key, farTop) >= 0) _far.Enqueue(timer, key);
        else _near.Enqueue(timer, key);
    }

    /// <summary>
    /// The due time of the earliest timer that is not cancelled, discarding cancelled ones on the way;
    /// false when none is left.
    /// </summary>
    public bool TryPeekDue(out long due)
    {
        var queue = EarliestLive();
        if (queue is null)
        {
            due = 0;
            return false;
        }
        queue.TryPeek(out _, out var key);
        due = key.Due;
        return true;
    }

    /// <summary>
    /// Moves the clock to <paramref name="due"/> and fires every live timer due at that instant, in scheduling order,
    /// up to <paramref name="limit"/> of them: timers that the fired ones add with no delay are due at once too, so
    /// an action that reschedules itself that way would otherwise never let the clock return.
    /// </summary>
    public int FireDueAt(long due, long limit = long.MaxValue)
    {
        if (due > NowTicks) NowTicks = due;
        var fired = 0;
        while (fired < limit)
        {
            var queue = Earliest();
            if (queue is null || !queue.TryPeek(out var timer, out var key) || key.Due > NowTicks) break;
            queue.Dequeue();
            if (timer.IsCancelled) continue;
            fired++;
            timer.Fire(this);
        }
        return fired;
    }

    /// <summary>The heap whose top is the earliest timer, cancelled or not; null when both are empty.</summary>
    private PriorityQueue<PendingTimer, (long Due, long Order)>? Earliest()
    {
        var hasNear = _near.TryPeek(out _, out var nearTop);
        var hasFar = _far.TryPeek(out _, out var farTop);
        if (!hasNear) return hasFar ? _far : null;
        if (!hasFar) return _near;
        return Compare(nearTop, farTop) < 0 ? _near : _far;
    }

    /// <summary>The heap whose top is the earliest live timer, after dropping the cancelled timers at both tops.</summary>
    private PriorityQueue<PendingTimer, (long Due, long Order)>? EarliestLive()
    {
        DropCancelledTop(_near);
        DropCancelledTop(_far);
        return Earliest();
    }

    private static void DropCancelledTop(PriorityQueue<PendingTimer, (long Due, long Order)> queue)
    {
        while (queue.TryPeek(out var timer, out _) && timer.IsCancelled) queue.Dequeue();
    }

    private static int Compare((long Due, long Order) a, (long Due, long Order) b) =>
        a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Order.CompareTo(b.Order);
}

/// <summary>One scheduled action: a Tell, an action or a runnable, once or repeatedly.</summary>
internal sealed class PendingTimer
{
    private readonly ICanTell? _receiver;
    private readonly object? _message;
    private readonly IActorRef? _sender;
    private readonly Action? _action;
    private readonly IRunnable? _runnable;
    private readonly ICancelable? _cancelable;
    private readonly long _intervalTicks;

    private PendingTimer(ICanTell? receiver, object? message, IActorRef? sender, Action? action, IRunnable? runnable,
        ICancelable? cancelable, long intervalTicks)
    {
        _receiver = receiver;
        _message = message;
        _sender = sender;
        _action = action;
        _runnable = runnable;
        _cancelable = cancelable;
        _intervalTicks = intervalTicks;
    }

    public static PendingTimer Tell(ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable, long intervalTicks = 0) =>
        new(receiver, message, sender, null, null, cancelable, intervalTicks);

    public static PendingTimer Run(Action action, ICancelable? cancelable, long intervalTicks = 0) =>
        new(null, null, null, action, null, cancelable, intervalTicks);

    public static PendingTimer Run(IRunnable runnable, ICancelable? cancelable, long intervalTicks = 0) =>
        new(null, null, null, null, runnable, cancelable, intervalTicks);

    public bool IsCancelled => _cancelable is { IsCancellationRequested: true };

    public void Fire(VirtualClock clock)
    {
        try
        {
            if (_receiver is not null) _receiver.Tell(_message!, _sender ?? ActorRefs.NoSender);
            else if (_action is not null) _action();
            else _runnable!.Run();
        }
        catch (Exception e) when (clock.TimerFailed is { } report)
        {
            report(e);
            return;
        }

        if (_intervalTicks > 0 && !IsCancelled) clock.Add(_intervalTicks, this);
    }
}
