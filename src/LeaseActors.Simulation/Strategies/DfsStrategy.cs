namespace LeaseActors.Simulation.Strategies;

/// <summary>
/// Bounded depth-first enumeration of a run's choice tree, one schedule per run: each run replays the prefix of the
/// previous one and takes the next untried alternative at the deepest choice point that has one. After every run call
/// <see cref="Advance"/>; when it returns false every schedule has been tried.
/// </summary>
/// <remarks>
/// <para>Unlike <see cref="RandomStrategy"/> and <see cref="PctStrategy"/>, which sample schedules, this one visits each
/// schedule exactly once, so for a small system it can say that the space is exhausted — every ordering of the ready
/// mailboxes has been run. The run must be deterministic given its choices (same seed every run, which the engine
/// guarantees); a prefix that finds a different number of ready mailboxes than before throws
/// <see cref="InvalidOperationException"/>.</para>
/// <para>Choice points beyond <see cref="MaxDepth"/> always take the first ready mailbox and set
/// <see cref="BoundHit"/>: the enumeration then covers only the tree cut at that depth, and <see cref="Exhausted"/>
/// stays false even when <see cref="Advance"/> has nothing left.</para>
/// </remarks>
public sealed class DfsStrategy : ISchedulingStrategy
{
    /// <summary>The bound when none is given: far deeper than a small topology's runs, so it is hit only by large ones.</summary>
    public const int DefaultMaxDepth = 1_000;

    private readonly List<(int Chosen, int Count)> _stack = [];
    private int _position;
    private bool _done;

    /// <summary>Enumerates schedules, branching at the first <paramref name="maxDepth"/> choice points of each run.</summary>
    /// <exception cref="ArgumentOutOfRangeException">maxDepth &lt; 0.</exception>
    public DfsStrategy(int maxDepth = DefaultMaxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);
        MaxDepth = maxDepth;
    }

    /// <summary>How many choice points of a run are branched on; later ones take choice 0.</summary>
    public int MaxDepth { get; }

    /// <summary>Runs started so far (schedules tried).</summary>
    public int Runs { get; private set; }

    /// <summary>True once some run had more than <see cref="MaxDepth"/> choice points, so some schedules were never tried.</summary>
    public bool BoundHit { get; private set; }

    /// <summary>True when every schedule of the whole tree has been tried: <see cref="Advance"/> found none left and the bound was never hit.</summary>
    public bool Exhausted => _done && !BoundHit;

    /// <summary>True when <see cref="Advance"/> has found no untried alternative within the bound.</summary>
    public bool Done => _done;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Every schedule has already been tried.</exception>
    public void Start(ulong seed)
    {
        if (_done) throw new InvalidOperationException("DfsStrategy: every schedule within the bound has been tried.");
        _position = 0;
        Runs++;
    }

    /// <inheritdoc />
    public int Choose(IReadyView ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (_position < _stack.Count)
        {
            var (chosen, count) = _stack[_position];
            if (count != ready.Count)
                throw new InvalidOperationException(
                    $"DfsStrategy: choice point {_position + 1} had {count} ready mailboxes in an earlier run and {ready.Count} now; the run is not deterministic given its choices.");
            _position++;
            return chosen;
        }
        if (_position >= MaxDepth)
        {
            BoundHit = true;
            _position++;
            return 0;
        }
        _stack.Add((0, ready.Count));
        _position++;
        return 0;
    }

    /// <summary>
    /// Moves to the next schedule after a run: the deepest choice point of that run with an untried alternative takes
    /// it, and every deeper one is forgotten. Returns false when there is none (see <see cref="Exhausted"/>).
    /// </summary>
    public bool Advance()
    {
        // Choice points recorded but not reached by the last run cannot exist: the prefix is replayed exactly.
        if (_position < _stack.Count) _stack.RemoveRange(_position, _stack.Count - _position);
        while (_stack.Count > 0)
        {
            var (chosen, count) = _stack[^1];
            if (chosen + 1 < count)
            {
                _stack[^1] = (chosen + 1, count);
                return true;
            }
            _stack.RemoveAt(_stack.Count - 1);
        }
        _done = true;
        return false;
    }
}
