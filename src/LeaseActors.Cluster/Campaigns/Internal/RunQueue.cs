namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>
/// The run indices a worker holds and has not started: filled by the worker actor one range at a time, emptied by its
/// runner threads, which block in <see cref="Take"/> until there is an index or the campaign is over.
/// </summary>
/// <remarks>
/// The one piece of state the worker actor shares with its runner threads, and the reason it is a lock and a monitor:
/// the threads are the campaign's own (not Akka's), and they need an index synchronously.
/// </remarks>
internal sealed class RunQueue
{
    private readonly LinkedList<(long Next, long To)> _ranges = new();
    private readonly object _gate = new();
    private bool _completed;

    public void Add(long from, long to)
    {
        lock (_gate)
        {
            if (_completed || from >= to) return;
            _ranges.AddLast((from, to));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>No more indices: drops the ones not started and wakes every thread waiting in <see cref="Take"/>.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _ranges.Clear();
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next index, waiting for one; null once <see cref="Complete"/> was called.</summary>
    public long? Take()
    {
        lock (_gate)
        {
            while (_ranges.Count == 0 && !_completed) Monitor.Wait(_gate);
            if (_ranges.Count == 0) return null;
            var first = _ranges.First!;
            var (next, to) = first.Value;
            if (next + 1 < to) first.Value = (next + 1, to);
            else _ranges.RemoveFirst();
            return next;
        }
    }
}
