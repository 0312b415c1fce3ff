using System.Buffers;
using System.Security.Cryptography;

namespace LeaseActors.Simulation.Tracing;

/// <summary>
/// The ordered record of one run's events, stamped with virtual time, and its canonical serialization:
/// JSON Lines, one object per event, <c>{"i":…,"us":…,"kind":…,…fields}</c>, with no whitespace.
/// </summary>
/// <remarks>
/// The canonical bytes, and so <see cref="ComputeSha256"/>, depend only on the recorded events: the same
/// topology, policy, faults and seed give the same hash on every machine. A trace accepts events while its
/// run is live; the engine seals it when the run ends, so teardown (stopping the run's actors) never changes it.
/// </remarks>
public sealed class RunTrace
{
    private readonly List<TraceEntry> _entries;
    private readonly Func<TimeSpan> _now;
    private readonly List<Action<TraceEntry>> _listeners = [];

    /// <summary>Creates a trace whose events are stamped by <paramref name="now"/> (virtual time in a simulation).</summary>
    public RunTrace(Func<TimeSpan> now) : this(now, 0)
    {
    }

    /// <summary>As the other constructor, with room for <paramref name="capacity"/> events before the list grows.</summary>
    public RunTrace(Func<TimeSpan> now, int capacity)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _now = now;
        _entries = new List<TraceEntry>(capacity);
    }

    /// <summary>Events recorded so far, in order.</summary>
    public IReadOnlyList<TraceEntry> Entries => _entries;

    /// <summary>True once the run has ended; later events are ignored.</summary>
    public bool IsSealed { get; private set; }

    /// <summary>Records <paramref name="event"/> at the current time and tells the listeners.</summary>
    public void Record(ITraceEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (IsSealed) return;
        var entry = new TraceEntry(_entries.Count, _now(), @event);
        _entries.Add(entry);
        for (var i = 0; i < _listeners.Count; i++) _listeners[i](entry);
    }

    /// <summary>Calls <paramref name="listener"/> for every event recorded from now on (monitors use this).</summary>
    public void Subscribe(Action<TraceEntry> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listeners.Add(listener);
    }

    /// <summary>Stops accepting events.</summary>
    public void Seal() => IsSealed = true;

    /// <summary>Writes the canonical JSON Lines form of the trace.</summary>
    public void WriteCanonical(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Canonical());
    }

    /// <summary>The canonical JSON Lines bytes of the trace.</summary>
    public byte[] ToCanonicalBytes() => Canonical().ToArray();

    /// <summary>The lowercase hex SHA-256 of the canonical bytes.</summary>
    public string ComputeSha256() => Convert.ToHexStringLower(SHA256.HashData(Canonical()));

    /// <summary>
    /// The canonical bytes in this thread's writer, valid until the thread's next call. Campaigns hash every run, so
    /// the writer and its buffer are kept per thread (cleared, never shared) instead of made per run.
    /// </summary>
    private ReadOnlySpan<byte> Canonical()
    {
        var writer = s_writer;
        if (writer is null || writer.Capacity > 16 * 1024 * 1024)
        {
            writer?.Dispose(); // do not keep a huge run's buffer alive
            s_writer = writer = new CanonicalTraceWriter();
        }
        writer.Clear();
        foreach (var entry in _entries) writer.Write(entry);
        return writer.Written;
    }

    [ThreadStatic]
    private static CanonicalTraceWriter? s_writer;
}
