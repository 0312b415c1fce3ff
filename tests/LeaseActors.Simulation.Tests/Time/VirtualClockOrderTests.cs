using Akka.Actor;
using LeaseActors.Simulation.Time;

namespace LeaseActors.Simulation.Tests.Time;

/// <summary>
/// The virtual clock splits its timers between two heaps (near and far) for speed; these tests check that the
/// firing order is still exactly the order of (due time, scheduling order), by running the same random timer
/// program on the clock and on a naive reference that scans a list for the earliest timer.
/// </summary>
public sealed class VirtualClockOrderTests
{
    public static TheoryData<ulong> Seeds() => [1, 2, 3, 4, 5, 6, 7, 8, 42, 1_000_003];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Timers_fire_in_due_then_scheduling_order_whichever_heap_holds_them(ulong seed)
    {
        var real = TimerProgram.Run(new RealClock(), seed);
        var reference = TimerProgram.Run(new NaiveClock(), seed);

        Assert.Equal(reference, real);
        Assert.True(real.Count > 2_000, $"the program fired only {real.Count} timers");
    }

    [Fact]
    public void A_short_timer_added_after_many_long_ones_fires_first_and_the_long_ones_keep_their_order()
    {
        var clock = new RealClock();
        var fired = new List<string>();
        for (var i = 0; i < 1_000; i++)
        {
            var name = "long" + i;
            clock.Add(1_000_000 + i / 10, () => fired.Add(name), null, 0);
        }
        clock.Add(5, () => fired.Add("short"), null, 0);
        clock.RunToEnd();

        Assert.Equal(1_001, fired.Count);
        Assert.Equal("short", fired[0]);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => "long" + i), fired.Skip(1));
    }

    [Fact]
    public void After_the_far_heap_empties_a_timer_scheduled_later_for_the_same_instant_still_fires_second()
    {
        // The one case where the two heaps' tops can be due at the same instant: the far heap's only timer is
        // cancelled and dropped while the near heap still holds one, so the next timer goes to the empty far heap.
        var clock = new VirtualClock();
        var fired = new List<string>();
        var cancelled = new Flag();
        clock.Add(10, PendingTimer.Run(() => fired.Add("cancelled"), cancelled));      // far heap (it was empty)
        clock.Add(5, PendingTimer.Run(() => fired.Add("scheduled first"), null));      // before the far top: near heap
        cancelled.Cancel();
        Assert.True(clock.TryPeekDue(out var due));                                    // drops the cancelled far top
        Assert.Equal(5, due);
        clock.Add(5, PendingTimer.Run(() => fired.Add("scheduled second"), null));     // far heap again, same instant

        while (clock.TryPeekDue(out due)) clock.FireDueAt(due);

        Assert.Equal(["scheduled first", "scheduled second"], fired);
    }

    /// <summary>A random program of timers that add and cancel timers when they fire, and its firing log.</summary>
    private static class TimerProgram
    {
        public static List<(int Id, long At)> Run(ITestClock clock, ulong seed)
        {
            var random = new DeterministicRandom(seed);
            var log = new List<(int Id, long At)>();
            var flags = new List<Flag>();
            var next = 0;

            void Schedule()
            {
                if (next >= 3_000) return;
                var id = next++;
                var flag = new Flag();
                flags.Add(flag);
                var kind = random.Next(10);
                // Mostly a coarse grid (many timers due at the same instant), a few long, some immediate. Long timers
                // are rare and cancellations frequent, so that the far heap sometimes empties while near timers wait.
                long delay = kind < 8 ? 10 * random.Next(20) : kind < 9 && random.Next(4) == 0 ? 1_000_000 + random.Next(100) : 0;
                long interval = random.Next(8) == 0 ? 10 + 10 * random.Next(5) : 0;
                var firings = 0;
                clock.Add(delay, () =>
                {
                    log.Add((id, clock.NowTicks));
                    if (interval > 0 && ++firings >= 3) flag.Cancel();
                    var action = random.Next(10);
                    if (action < 8) Schedule(); // about 1.2 new timers per firing, until 3,000 have been scheduled
                    if (action < 4) Schedule();
                    if (action >= 7 && flags.Count > 0) flags[random.Next(flags.Count)].Cancel();
                }, flag, interval);
            }

            for (var i = 0; i < 60; i++) Schedule();
            clock.RunToEnd();
            return log;
        }
    }

    private interface ITestClock
    {
        long NowTicks { get; }

        void Add(long delayTicks, Action action, ICancelable? cancelable, long intervalTicks);

        void RunToEnd();
    }

    /// <summary>The engine's clock, driven the way <see cref="SimulationDriver"/> drives it.</summary>
    private sealed class RealClock : ITestClock
    {
        private readonly VirtualClock _clock = new();

        public long NowTicks => _clock.NowTicks;

        public void Add(long delayTicks, Action action, ICancelable? cancelable, long intervalTicks) =>
            _clock.Add(delayTicks, PendingTimer.Run(action, cancelable, intervalTicks));

        public void RunToEnd()
        {
            while (_clock.TryPeekDue(out var due)) _clock.FireDueAt(due);
        }
    }

    /// <summary>The specification: a list scanned for the earliest (due, order) key each time.</summary>
    private sealed class NaiveClock : ITestClock
    {
        private readonly List<(long Due, long Order, Action Action, ICancelable? Cancelable, long Interval)> _pending = [];
        private long _order;

        public long NowTicks { get; private set; }

        public void Add(long delayTicks, Action action, ICancelable? cancelable, long intervalTicks) =>
            _pending.Add((NowTicks + Math.Max(0, delayTicks), _order++, action, cancelable, intervalTicks));

        public void RunToEnd()
        {
            while (true)
            {
                _pending.RemoveAll(t => t.Cancelable is { IsCancellationRequested: true });
                if (_pending.Count == 0) return;
                var earliest = _pending.MinBy(t => (t.Due, t.Order));
                NowTicks = Math.Max(NowTicks, earliest.Due);
                _pending.Remove(earliest);
                earliest.Action();
                if (earliest.Interval > 0 && earliest.Cancelable is not { IsCancellationRequested: true })
                    Add(earliest.Interval, earliest.Action, earliest.Cancelable, earliest.Interval);
            }
        }
    }

    /// <summary>A cancellation flag; the clock only reads <see cref="IsCancellationRequested"/>.</summary>
    private sealed class Flag : ICancelable
    {
        public bool IsCancellationRequested { get; private set; }

        public CancellationToken Token => CancellationToken.None;

        public void Cancel() => IsCancellationRequested = true;

        public void Cancel(bool throwOnFirstException) => Cancel();

        public void CancelAfter(TimeSpan delay) => throw new NotSupportedException();

        public void CancelAfter(int millisecondsDelay) => throw new NotSupportedException();
    }
}
