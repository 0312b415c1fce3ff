using System.Collections.Immutable;
using LeaseActors.Judging;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Monitors;

/// <summary>
/// Builds a <see cref="BreakRecord"/> for every lease break from the trace (<c>lease.break</c>, <c>signal.sent</c>,
/// <c>lease.removed</c>, <c>lease.changed</c>, <c>region.registered</c>, <c>region.torndown</c>) and tracks the
/// calls still blocked: breakers, layout changes waiting for leases or pins, and closes held by pins.
/// </summary>
/// <remarks>
/// A break's pin holders are the processes holding the verbs context of a long-term region on the file when the
/// break starts; its teardown time is when the last of those regions went. Slack is the deadline minus the later
/// of the release and that teardown.
/// </remarks>
public sealed class BreakMonitor
{
    private readonly Holdings _holdings;
    private readonly bool _ownHoldings;
    private readonly List<Open> _breaks = [];
    private readonly Dictionary<(string Process, long Call), (string Path, string Process, TimeSpan Since)> _blocked = [];
    private readonly Dictionary<long, (string Path, long Context)> _regions = [];

    private sealed class Open(string path, long ofd, bool toUnlock, TimeSpan start, long? deadlineUs, ImmutableArray<string> holders,
        ImmutableArray<string> pinHolders, HashSet<long> regions)
    {
        public string Path { get; } = path;
        public long Ofd { get; } = ofd;
        public bool ToUnlock { get; } = toUnlock;
        public TimeSpan Start { get; } = start;
        public long? DeadlineUs { get; } = deadlineUs;
        public ImmutableArray<string> Holders { get; } = holders;
        public ImmutableArray<string> PinHolders { get; } = pinHolders;
        public HashSet<long> Regions { get; } = regions;
        public List<string> Notified { get; } = [];
        public TimeSpan? Released { get; set; }
        public string? ReleasedBy { get; set; }
        public TimeSpan? TornDown { get; set; }
    }

    /// <summary>Starts watching <paramref name="trace"/>.</summary>
    public BreakMonitor(RunTrace trace) : this(trace, null)
    {
    }

    /// <summary>Starts watching <paramref name="trace"/>, reading who holds what from <paramref name="shared"/> when given (kept up to date by its owner, which subscribed first).</summary>
    public BreakMonitor(RunTrace trace, Holdings? shared)
    {
        ArgumentNullException.ThrowIfNull(trace);
        _ownHoldings = shared is null;
        _holdings = shared ?? new Holdings();
        trace.Subscribe(OnEvent);
    }

    /// <summary>Calls blocked right now: (path, process, since).</summary>
    public IReadOnlyCollection<(string Path, string Process, TimeSpan Since)> Blocked => _blocked.Values;

    private void OnEvent(TraceEntry entry)
    {
        if (entry.Event is not TraceEvent e) return;
        if (_ownHoldings) _holdings.Apply(e);
        switch (e.Kind)
        {
            case "lease.break":
            {
                var deadline = e.Number("deadlineUs");
                var path = e.Str("path");
                var regions = _regions.Where(r => r.Value.Path == path).Select(r => r.Key).ToHashSet();
                var pinHolders = regions.SelectMany(r => _holdings.HoldersOf(_regions[r].Context)).Distinct().Order(StringComparer.Ordinal).ToImmutableArray();
                _breaks.Add(new Open(path, e.Number("ofd"), e["toUnlock"] is true, entry.Time, deadline == 0 ? null : deadline,
                    [.. _holdings.HoldersOf(e.Number("ofd"))], pinHolders, regions));
                break;
            }
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
            case "region.registered" when e["odp"] is not true:
                _regions[e.Number("id")] = (e.Str("path"), e.Number("context"));
                break;
            case "region.torndown":
                _regions.Remove(e.Number("id"));
                foreach (var b in _breaks)
                {
                    if (!b.Regions.Remove(e.Number("id"))) continue;
                    if (b.Regions.Count == 0) b.TornDown = entry.Time;
                }
                break;
            case "breaker.blocked":
                _blocked[(e.Str("process"), e.Number("call"))] = (e.Str("path"), e.Str("process"), entry.Time);
                break;
            case "breaker.unblocked":
                _blocked.Remove((e.Str("process"), e.Number("call")));
                break;
            case "close.blocked":
                _blocked[("close of description " + e.Number("ofd"), -e.Number("ofd"))] = (e.Str("path"), "close of description " + e.Number("ofd"), entry.Time);
                break;
            case "close.unblocked":
                _blocked.Remove(("close of description " + e.Number("ofd"), -e.Number("ofd")));
                break;
            case "process.exited":
                // A dying process's blocked calls were abandoned (their waits cancelled) before it exited.
                ForgetBlockedCallsOf(e.Str("process"));
                break;
        }
    }

    // Apart from OnEvent: a lambda there capturing the event would allocate its closure on every event.
    private void ForgetBlockedCallsOf(string process)
    {
        foreach (var key in _blocked.Keys.Where(k => k.Process == process).ToList()) _blocked.Remove(key);
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
            double? tornDown = b.TornDown?.TotalMilliseconds;
            var pinsPending = b.Regions.Count > 0;
            double? end = pinsPending ? null : released is { } r ? Math.Max(r, tornDown ?? r) : null;
            double? slack = deadline is { } dl && end is { } e ? Math.Round(dl - e, 3) : null;
            return new BreakRecord(b.Path, b.Ofd, b.ToUnlock, b.Start.TotalMilliseconds, deadline, b.Holders, [.. b.Notified], b.PinHolders,
                released, b.ReleasedBy, tornDown, slack) { RegionsPending = pinsPending };
        }),
    ];
}
