using Akka.Actor;
using Akka.Dispatch;

namespace LeaseActors.Simulation.Time;

/// <summary>
/// The virtual time of one run and its pending timers, kept in a binary heap ordered by
/// (due time, scheduling order): O(log n) to add or fire a timer, whatever the number pending.
/// </summary>
/// <remarks>
/// Owned by one driver and touched only on its thread. Cancelled timers are dropped lazily when they reach
/// the top of the heap and never advance the clock.
/// </remarks>
internal sealed class VirtualClock
{
    private readonly PriorityQueue<PendingTimer, (long Due, long Order)> _heap = new();
    private long _order;

    /// <summary>Virtual time elapsed since the run's epoch, in ticks of 100 ns.</summary>
    public long NowTicks { get; private set; }

    public int PendingCount => _heap.Count;

    public void Reset()
    {
        _heap.Clear();
        _order = 0;
        NowTicks = 0;
    }

    public void Add(long delayTicks, PendingTimer timer)
    {
        if (delayTicks < 0) delayTicks = 0;
        _heap.Enqueue(timer, (NowTicks + delayTicks, _order++));
    }

    /// <summary>
    /// The due time of the earliest timer that is not cancelled, discarding cancelled ones on the way;
    /// false when none is left.
    /// </summary>
    public bool TryPeekDue(out long due)
    {
        while (_heap.TryPeek(out var timer, out var key))
        {
            if (timer.IsCancelled)
            {
                _heap.Dequeue();
                continue;
            }
            due = key.Due;
            return true;
        }
        due = 0;
        return false;
    }

    /// <summary>Moves the clock to <paramref name="due"/> and fires every live timer due at that instant, in scheduling order.</summary>
    public int FireDueAt(long due)
    {
        if (due > NowTicks) NowTicks = due;
        var fired = 0;
        while (_heap.TryPeek(out var timer, out var key) && key.Due <= NowTicks)
        {
            _heap.Dequeue();
            if (timer.IsCancelled) continue;
            fired++;
            timer.Fire(this);
        }
        return fired;
    }
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
        if (_receiver is not null) _receiver.Tell(_message!, _sender ?? ActorRefs.NoSender);
        else if (_action is not null) _action();
        else _runnable!.Run();

        if (_intervalTicks > 0 && !IsCancelled) clock.Add(_intervalTicks, this);
    }
}
