namespace LeaseActors.Simulation.Strategies;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi and Nagarakatte, "A randomized scheduler with
/// probabilistic guarantees of finding bugs", ASPLOS 2010): every actor gets a random priority when it is first
/// seen, the ready mailbox with the highest priority always runs, and at <c>d − 1</c> change points drawn over the
/// expected run length the running actor's priority drops below every initial one.
/// </summary>
/// <remarks>
/// <para>Where <see cref="RandomStrategy"/> flips a coin at every choice, PCT keeps one actor running as long as it can
/// and only switches at a few chosen points, so a bug that needs <c>d</c> ordering constraints is found with
/// probability at least <c>1 / (n · k^(d−1))</c> per run (<c>n</c> actors, <c>k</c> choices). Priorities are kept per
/// <see cref="IReadyView.KeyAt"/> key, which is stable for a run; "steps" here are choices (calls to
/// <see cref="Choose"/>), the only points where a strategy has a say.</para>
/// <para>Everything drawn comes from the seed given to <see cref="Start"/>, so one seed gives one schedule.</para>
/// </remarks>
public sealed class PctStrategy : ISchedulingStrategy
{
    /// <summary>The expected run length, in choices, when none is given: change points fall among the first 100 choices.</summary>
    public const int DefaultExpectedLength = 100;

    /// <summary>The priority-change depth when none is given (the paper's experiments find most bugs with d ≤ 3).</summary>
    public const int DefaultDepth = 3;

    private readonly DeterministicRandom _random = new(0);
    private readonly DeterministicRandom _changeRandom = new(0);
    private readonly Dictionary<int, long> _priorities = [];
    private readonly List<int> _changePoints = [];
    private int _choices;

    /// <summary>A PCT scheduler with depth <paramref name="depth"/> (d ≥ 1; d − 1 change points) over runs of about <paramref name="expectedLength"/> choices.</summary>
    /// <exception cref="ArgumentOutOfRangeException">depth &lt; 1 or expectedLength &lt; 1.</exception>
    public PctStrategy(int depth = DefaultDepth, int expectedLength = DefaultExpectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedLength, 1);
        Depth = depth;
        ExpectedLength = expectedLength;
    }

    /// <summary>The depth d: the run's priorities change at most d − 1 times.</summary>
    public int Depth { get; }

    /// <summary>The run length, in choices, over which the change points are drawn.</summary>
    public int ExpectedLength { get; }

    /// <summary>The choice numbers (1-based, ascending) at which this run lowers a priority.</summary>
    public IReadOnlyList<int> ChangePoints => _changePoints;

    /// <summary>How many times this run has lowered a priority so far (never more than <see cref="Depth"/> − 1).</summary>
    public int PriorityChanges { get; private set; }

    /// <inheritdoc />
    public void Start(ulong seed)
    {
        // Priorities and change points come from separate streams, so the depth changes only where the switches fall.
        _random.Reseed(DeterministicRandom.Derive(seed, "pct"));
        _changeRandom.Reseed(DeterministicRandom.Derive(seed, "pct/changes"));
        _priorities.Clear();
        _changePoints.Clear();
        _choices = 0;
        PriorityChanges = 0;
        // d − 1 distinct change points in 1..k (fewer when k is smaller than d − 1).
        var wanted = Math.Min(Depth - 1, ExpectedLength);
        while (_changePoints.Count < wanted)
        {
            var point = 1 + _changeRandom.Next(ExpectedLength);
            if (!_changePoints.Contains(point)) _changePoints.Add(point);
        }
        _changePoints.Sort();
    }

    /// <inheritdoc />
    public int Choose(IReadyView ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        _choices++;
        var best = Highest(ready);
        var change = _changePoints.IndexOf(_choices);
        if (change >= 0)
        {
            // The i-th change point gives the actor about to run priority d − 1 − i: below every initial priority
            // (all ≥ d) and below the earlier changed ones.
            _priorities[ready.KeyAt(best)] = Depth - 1 - change;
            PriorityChanges++;
            best = Highest(ready);
        }
        return best;
    }

    private int Highest(IReadyView ready)
    {
        var best = 0;
        var bestPriority = PriorityOf(ready.KeyAt(0));
        for (var i = 1; i < ready.Count; i++)
        {
            var priority = PriorityOf(ready.KeyAt(i));
            if (priority > bestPriority)
            {
                best = i;
                bestPriority = priority;
            }
        }
        return best;
    }

    private long PriorityOf(int key)
    {
        if (_priorities.TryGetValue(key, out var priority)) return priority;
        // Initial priorities are ≥ d and distinct with overwhelming probability; a tie goes to the older actor.
        priority = Depth + (long)(_random.NextUInt64() >> 2);
        _priorities[key] = priority;
        return priority;
    }
}
