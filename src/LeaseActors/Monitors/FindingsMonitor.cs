using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Monitors;

/// <summary>
/// Watches a run's kernel trace and records the hazards of SEMANTICS.md §3.3 that mainline runs can show, when
/// they happen: H2 (a breaker blocked with no possible waker), H3 (a break signal to a process that no longer
/// holds the description, or lost because the owner is gone), H4 (coalesced signals), H5 (a stale or foreign
/// <c>si_fd</c>), H9 (a holder breaking its own lease). It reads only the trace — the model has no special
/// cases for it — and adds a <c>finding</c> event to the trace for each one.
/// </summary>
public sealed class FindingsMonitor
{
    private readonly RunTrace _trace;
    private readonly List<Finding> _findings = [];
    private readonly Holdings _holdings;
    private readonly bool _ownHoldings;
    private readonly Dictionary<string, int> _blockedBreakers = new(StringComparer.Ordinal); // path → count
    private readonly HashSet<string> _lostBreak = new(StringComparer.Ordinal); // paths whose current break lost its signal
    private readonly HashSet<string> _h2Reported = new(StringComparer.Ordinal);

    /// <summary>Starts watching <paramref name="trace"/>.</summary>
    public FindingsMonitor(RunTrace trace) : this(trace, null)
    {
    }

    /// <summary>Starts watching <paramref name="trace"/>, reading who holds what from <paramref name="shared"/> when given (kept up to date by its owner, which subscribed first).</summary>
    public FindingsMonitor(RunTrace trace, Holdings? shared)
    {
        ArgumentNullException.ThrowIfNull(trace);
        _trace = trace;
        _ownHoldings = shared is null;
        _holdings = shared ?? new Holdings();
        trace.Subscribe(OnEvent);
    }

    /// <summary>The findings so far, in the order they were seen.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    private void OnEvent(TraceEntry entry)
    {
        if (entry.Event is not TraceEvent e) return;
        if (_ownHoldings) _holdings.Apply(e);
        switch (e.Kind)
        {
            case "breaker.blocked":
                _blockedBreakers[e.Str("path")] = _blockedBreakers.GetValueOrDefault(e.Str("path")) + 1;
                CheckNoWaker(entry.Time, e.Str("path"));
                break;
            case "breaker.unblocked":
                _blockedBreakers[e.Str("path")] = _blockedBreakers.GetValueOrDefault(e.Str("path")) - 1;
                break;
            case "lease.removed":
            case "lease.changed":
                _lostBreak.Remove(e.Str("path"));
                _h2Reported.Remove(e.Str("path"));
                break;
            case "lease.break":
            {
                var breaker = e.Str("breaker");
                var ofd = e.Number("ofd");
                if (Holds(breaker, ofd))
                    Add("H9", entry.Time, breaker, $"{breaker} broke its own lease on {e.Str("path")} (description {ofd}) by opening or truncating the file again");
                break;
            }
            case "signal.sent" when e["ofd"] is long sentOfd:
            {
                var to = e.Str("to");
                // mr-holds-lease signals the holders of a region's verbs context on purpose: not a mis-routed signal.
                var toContextHolder = e.Str("via") == "verbs-context";
                if (!toContextHolder && !Holds(to, sentOfd))
                    Add("H3", entry.Time, to, $"the lease-break signal for {PathOf(sentOfd)} went to {to}, which no longer holds the leased description {sentOfd}");
                var fd = e.Number("fd");
                if (fd != 0 && _holdings.At(to, fd) != sentOfd)
                    Add("H5", entry.Time, to, $"si_fd {fd} sent to {to} does not name the leased description {sentOfd} in that process (closed, reused, or another process's number)");
                break;
            }
            case "signal.lost":
            {
                var ofd = e["ofd"] is long l ? l : 0;
                var path = PathOf(ofd);
                var reason = e.Str("reason");
                if (reason != "permission")
                {
                    Add("H3", entry.Time, null, $"the lease-break signal for {path} reached nobody: {reason} (owner {e.Str("owner")})");
                    _lostBreak.Add(path);
                    CheckNoWaker(entry.Time, path);
                }
                break;
            }
            case "signal.pending" when e.Str("state") == "coalesced":
                Add("H4", entry.Time, e.Str("process"), $"{e.Str("signal")} to {e.Str("process")} was coalesced with one already pending: one delivery for several breaks");
                break;
        }
    }

    private void CheckNoWaker(TimeSpan time, string path)
    {
        if (_blockedBreakers.GetValueOrDefault(path) <= 0 || !_lostBreak.Contains(path) || !_h2Reported.Add(path)) return;
        Add("H2", time, null, $"a breaker is blocked on {path} and the lease's break signal reached nobody: it can only wait for the lease-break-time");
    }

    private bool Holds(string process, long ofd) => _holdings.Holds(process, ofd);

    private string PathOf(long ofd) => _holdings.PathOf(ofd);

    private void Add(string id, TimeSpan time, string? process, string detail)
    {
        _findings.Add(new Finding(id, time, process, detail));
        _trace.Record(new TraceEvent("finding", ("id", id), ("process", process), ("detail", detail)));
    }
}
