using Akka.Actor;
using LeaseActors.Simulation.Time;

namespace LeaseActors.Simulation.Tests.Time;

public sealed class VirtualClockTests
{
    [Fact]
    public void Timers_fire_by_due_time_then_by_scheduling_order()
    {
        var clock = new VirtualClock();
        var fired = new List<string>();
        foreach (var (delay, label) in new[] { (5L, "a"), (1L, "b"), (5L, "c"), (3L, "d"), (1L, "e") })
            clock.Add(delay, PendingTimer.Run(() => fired.Add($"{label}@{clock.NowTicks}"), null));

        while (clock.TryPeekDue(out var due)) clock.FireDueAt(due);

        Assert.Equal(["b@1", "e@1", "d@3", "a@5", "c@5"], fired);
    }

    [Fact]
    public void FireDueAt_moves_the_clock_and_fires_everything_due_by_then()
    {
        var clock = new VirtualClock();
        var fired = 0;
        clock.Add(10, PendingTimer.Run(() => fired++, null));
        clock.Add(10, PendingTimer.Run(() => fired++, null));
        clock.Add(20, PendingTimer.Run(() => fired++, null));

        Assert.True(clock.TryPeekDue(out var due));
        Assert.Equal(10, due);
        Assert.Equal(2, clock.FireDueAt(due));
        Assert.Equal(10, clock.NowTicks);
        Assert.Equal(2, fired);
        Assert.Equal(1, clock.PendingCount);
    }

    [Fact]
    public void A_timer_added_while_firing_with_no_delay_fires_at_the_same_instant()
    {
        var clock = new VirtualClock();
        var fired = new List<string>();
        clock.Add(4, PendingTimer.Run(() =>
        {
            fired.Add("first");
            clock.Add(0, PendingTimer.Run(() => fired.Add($"second@{clock.NowTicks}"), null));
        }, null));

        Assert.Equal(2, clock.FireDueAt(4));
        Assert.Equal(["first", "second@4"], fired);
    }

    [Fact]
    public void Cancelled_timers_are_skipped_and_never_move_the_clock()
    {
        var clock = new VirtualClock();
        var cancelled = new TestCancelable();
        var fired = new List<string>();
        clock.Add(5, PendingTimer.Run(() => fired.Add("cancelled"), cancelled));
        clock.Add(10, PendingTimer.Run(() => fired.Add("live"), null));
        cancelled.Cancel();

        Assert.True(clock.TryPeekDue(out var due));
        Assert.Equal(10, due);
        Assert.Equal(0, clock.NowTicks);
        clock.FireDueAt(due);
        Assert.Equal(["live"], fired);
    }

    [Fact]
    public void Only_cancelled_timers_left_means_nothing_is_due()
    {
        var clock = new VirtualClock();
        var cancelled = new TestCancelable();
        clock.Add(5, PendingTimer.Run(() => { }, cancelled));
        cancelled.Cancel();

        Assert.False(clock.TryPeekDue(out _));
        Assert.Equal(0, clock.NowTicks);
        Assert.Equal(0, clock.PendingCount);
    }

    [Fact]
    public void A_repeated_timer_comes_back_every_interval_until_cancelled()
    {
        var clock = new VirtualClock();
        var cancelable = new TestCancelable();
        var times = new List<long>();
        clock.Add(3, PendingTimer.Run(() =>
        {
            times.Add(clock.NowTicks);
            if (times.Count == 4) cancelable.Cancel();
        }, cancelable, intervalTicks: 5));

        while (clock.TryPeekDue(out var due)) clock.FireDueAt(due);

        Assert.Equal([3L, 8, 13, 18], times);
    }

    [Fact]
    public void A_negative_delay_is_due_now()
    {
        var clock = new VirtualClock();
        clock.Add(7, PendingTimer.Run(() => { }, null));
        clock.FireDueAt(7);
        clock.Add(-100, PendingTimer.Run(() => { }, null));

        Assert.True(clock.TryPeekDue(out var due));
        Assert.Equal(7, due);
    }

    [Fact]
    public void A_delay_that_would_overflow_saturates_at_the_end_of_time()
    {
        var clock = new VirtualClock();
        clock.Add(7, PendingTimer.Run(() => { }, null));
        clock.FireDueAt(7);
        clock.Add(long.MaxValue, PendingTimer.Run(() => { }, null));

        Assert.True(clock.TryPeekDue(out var due));
        Assert.Equal(long.MaxValue, due);
    }

    [Fact]
    public void Reset_drops_every_timer_and_returns_to_time_zero()
    {
        var clock = new VirtualClock();
        clock.Add(7, PendingTimer.Run(() => { }, null));
        clock.Add(9, PendingTimer.Run(() => { }, null));
        clock.FireDueAt(7);

        clock.Reset();

        Assert.Equal(0, clock.NowTicks);
        Assert.Equal(0, clock.PendingCount);
        Assert.False(clock.TryPeekDue(out _));
    }

    private sealed class TestCancelable : ICancelable
    {
        private readonly CancellationTokenSource _source = new();

        public bool IsCancellationRequested => _source.IsCancellationRequested;

        public CancellationToken Token => _source.Token;

        public void Cancel() => _source.Cancel();

        public void Cancel(bool throwOnFirstException) => _source.Cancel(throwOnFirstException);

        public void CancelAfter(TimeSpan delay) => throw new NotSupportedException();

        public void CancelAfter(int millisecondsDelay) => throw new NotSupportedException();
    }
}
