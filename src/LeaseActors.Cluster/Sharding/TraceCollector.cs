using Akka.Actor;
using LeaseActors.Monitors;
using LeaseActors.RealTime;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Cluster.Sharding;

/// <summary>
/// The trace of a sharded kernel, gathered from every node: the events in arrival order, who holds which description
/// (<see cref="Holdings"/>, used to close the fds of a process lost with its node), live processes and the time of
/// the last event. Written by the collector actor, read by the kernel's host; thread-safe.
/// </summary>
internal sealed class TraceCollector
{
    private readonly object _gate = new();
    private readonly List<TraceRecord> _records = [];
    private readonly Holdings _holdings = new();
    private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly RunActivity _activity = new();
    private bool _sealed;

    public void Add(TraceRecord record)
    {
        lock (_gate)
        {
            if (_sealed) return;
            _records.Add(record);
            _nodes.Add(record.Node);
            _activity.Observe(record.Kind, TimeSpan.FromTicks(record.TimeTicks));
            _holdings.Apply(record.ToEvent());
        }
    }

    /// <summary>Stops taking events (the kernel is stopping).</summary>
    public void Seal()
    {
        lock (_gate) _sealed = true;
    }

    /// <summary>Live processes, whether any was created, and the kernel time of the latest event.</summary>
    public (int Alive, bool Started, TimeSpan Last) Activity() => _activity.Read();

    /// <summary>How many events came, and from how many nodes.</summary>
    public (int Events, int Nodes) Counts()
    {
        lock (_gate) return (_records.Count, _nodes.Count);
    }

    /// <summary>The descriptions <paramref name="process"/> holds: its fds (fd, description) in fd order, and its mappings' descriptions.</summary>
    public (IReadOnlyList<(long Fd, long Ofd)> Fds, IReadOnlyList<long> Mapped) HoldingsOf(string process, IEnumerable<long> knownOfds)
    {
        lock (_gate)
        {
            var fds = new List<(long, long)>();
            for (long fd = 0; fd < 4096; fd++)
                if (_holdings.At(process, fd) is { } ofd) fds.Add((fd, ofd));
            var mapped = knownOfds.Where(o => _holdings.Holds(process, o) && !fds.Exists(f => f.Item2 == o)).ToList();
            return (fds, mapped);
        }
    }

    /// <summary>Every description id seen in the trace so far.</summary>
    public IReadOnlyList<long> KnownDescriptions()
    {
        lock (_gate)
            return [.. _records.SelectMany(r => r.Fields).Where(f => f.Name == "ofd" && f.Value is long or int).Select(f => Convert.ToInt64(f.Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct()];
    }

    /// <summary>
    /// The whole run as one trace: every node's events ordered by kernel time (a node's own events keep their order),
    /// recorded into a fresh <see cref="RunTrace"/> whose listeners (a judge's monitors) subscribe before the replay.
    /// </summary>
    public RunTrace Replay(Action<RunTrace> subscribe)
    {
        List<TraceRecord> records;
        lock (_gate) records = [.. _records];
        var ordered = records.Select((r, i) => (r, i)).OrderBy(x => x.r.TimeTicks).ThenBy(x => x.i).Select(x => x.r).ToList();
        var now = TimeSpan.Zero;
        var trace = new RunTrace(() => now);
        subscribe(trace);
        foreach (var record in ordered)
        {
            now = TimeSpan.FromTicks(record.TimeTicks);
            trace.Record(record.ToEvent());
        }
        trace.Seal();
        return trace;
    }
}

/// <summary>Receives every node's <see cref="TraceRecord"/>s into a <see cref="TraceCollector"/>.</summary>
internal sealed class TraceCollectorActor : ReceiveActor
{
    public TraceCollectorActor(TraceCollector collector) => Receive<TraceRecord>(collector.Add);

    public static Props Props(TraceCollector collector) => Akka.Actor.Props.Create(() => new TraceCollectorActor(collector));
}
