using System.Collections.Immutable;
using LeaseActors.Judging;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Monitors;

/// <summary>
/// Builds a <see cref="BreakRecord"/> for every lease break from the trace (<c>lease.break</c>, <c>signal.sent</c>,
/// <c>lease.removed</c>, <c>lease.changed</c>) and tracks the breakers still blocked.
/// </summary>
public sealed class BreakMonitor
{
    private readonly Holdings _holdings = new();
    private readonly List<Open> _breaks = [];
    private readonly Dictionary<(string Process, long Call), (string Path, string Process, TimeSpan Since)> _blocked = [];

    private sealed class Open(string path, long ofd, bool toUnlock, TimeSpan start, long? deadlineUs, ImmutableArray<string> holders)
    {
        public string Path { get; } = path;
        public long Ofd { get; } = ofd;
        public bool ToUnlock { get; } = toUnlock;
        public TimeSpan Start { get; } = start;
        public long? DeadlineUs { get; } = deadlineUs;
        public ImmutableArray<string> Holders { get; } = holders;
        public List<string> Notified { get; } = [];
        public TimeSpan? Released { get; set; }
        public string? ReleasedBy { get; set; }
    }

    /// <summary>Starts watching <paramref name="trace"/>.</summary>
    public BreakMonitor(RunTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        trace.Subscribe(OnEvent);
    }

    /// <summary>Breakers blocked right now: (path, process, since).</summary>
    public IReadOnlyCollection<(string Path, string Process, TimeSpan Since)> Blocked => _blocked.Values;

    private void OnEvent(TraceEntry entry)
    {
        if (entry.Event is not TraceEvent e) return;
        _holdings.Apply(e);
        switch (e.Kind)
        {
            case "lease.break":
                var deadline = e.Number("deadlineUs");
                _breaks.Add(new Open(e.Str("path"), e.Number("ofd"), e["toUnlock"] is true, entry.Time, deadline == 0 ? null : deadline,
                    [.. _holdings.HoldersOf(e.Number("ofd"))]));
                break;
            case "signal.sent" when e["ofd"] is long ofd:
                foreach (var b in _breaks)
                    if (b.Ofd == ofd && b.Released is null && !b.Notified.Contains(e.Str("to"))) b.Notified.Add(e.Str("to"));
                break;
            case "lease.removed":
                foreach (var b in _breaks)
                    if (b.Ofd == e.Number("ofd") && b.Released is null) Close(b, entry.Time, e.Str("reason"));
                break;
            case "lease.changed" when e.Str("to") == "F_RDLCK":
                foreach (var b in _breaks)
                    if (b.Ofd == e.Number("ofd") && b.Released is null && !b.ToUnlock) Close(b, entry.Time, e.Str("reason"));
                break;
            case "breaker.blocked":
                _blocked[(e.Str("process"), e.Number("call"))] = (e.Str("path"), e.Str("process"), entry.Time);
                break;
            case "breaker.unblocked":
                _blocked.Remove((e.Str("process"), e.Number("call")));
                break;
        }
    }

    private static void Close(Open b, TimeSpan time, string reason)
    {
        b.Released = time;
        b.ReleasedBy = reason;
    }

    /// <summary>The breaks seen, in the order they started.</summary>
    public ImmutableArray<BreakRecord> Breaks() =>
    [
        .. _breaks.Select(b =>
        {
            double? deadline = b.DeadlineUs is { } d ? d / 1000.0 : null;
            double? released = b.Released?.TotalMilliseconds;
            double? slack = deadline is { } dl && released is { } r ? Math.Round(dl - r, 3) : null;
            return new BreakRecord(b.Path, b.Ofd, b.ToUnlock, b.Start.TotalMilliseconds, deadline, b.Holders, [.. b.Notified], [],
                released, b.ReleasedBy, null, slack);
        }),
    ];
}
