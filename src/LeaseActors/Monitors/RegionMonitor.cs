using System.Collections.Immutable;
using LeaseActors.Files;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Monitors;

/// <summary>
/// Watches the RDMA and FS-DAX side of a run's trace and keeps what the verdicts of DESIGN.md §4 need beyond lease
/// breaks: corruption (a block freed while a registered long-term region still covers it, decided over the interval
/// from the free to the region's teardown, DMA counted at the region's rate over that interval), layout changes
/// that finish after their deadline, refusals (a pin, a pass or a layout change refused with an errno), processes
/// the policy killed, and broken policy rules (lease-per-holder: a process holding pins without its own live layout
/// lease). It also names hazards H6 (pins outliving their lease), H7 (pins passed to a process without a lease) and
/// H8 (a close held by pins at exit). It reads only the trace.
/// </summary>
public sealed class RegionMonitor
{
    private readonly KernelPolicy _policy;
    private readonly Holdings _holdings;
    private readonly bool _ownHoldings;
    private readonly Dictionary<long, Region> _regions = [];
    private readonly List<Region> _finished = [];
    private readonly Dictionary<long, (string Path, string Taker)> _layoutLeases = []; // description → path and the process that took its layout lease
    private readonly Dictionary<(string Process, long Call), LayoutChangeRecord> _changes = [];
    private readonly List<LayoutChangeRecord> _changeOrder = [];
    private readonly List<string> _refusals = [];
    private readonly List<string> _kills = [];
    private readonly List<string> _violations = [];
    private readonly List<Finding> _findings = [];
    private readonly HashSet<(string Process, long Region)> _reported = [];

    private sealed class Region(long id, string name, string process, string path, long context, bool odp, double rate, BlockSet blocks, TimeSpan registered)
    {
        public long Id { get; } = id;
        public string Name { get; } = name;
        public string Process { get; } = process;
        public string Path { get; } = path;
        public long Context { get; } = context;
        public bool Odp { get; } = odp;
        public double Rate { get; } = rate;
        public BlockSet Blocks { get; } = blocks;
        public TimeSpan Registered { get; } = registered;
        public TimeSpan? TornDown { get; set; }
        public TimeSpan? FreedUnder { get; set; }
    }

    /// <summary>Starts watching <paramref name="trace"/> for a run under <paramref name="policy"/>.</summary>
    public RegionMonitor(RunTrace trace, KernelPolicy policy) : this(trace, policy, null)
    {
    }

    /// <summary>Starts watching, reading who holds what from <paramref name="shared"/> when given (kept up to date by its owner, which subscribed first).</summary>
    public RegionMonitor(RunTrace trace, KernelPolicy policy, Holdings? shared)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(policy);
        _ownHoldings = shared is null;
        _holdings = shared ?? new Holdings();
        _policy = policy;
        trace.Subscribe(OnEvent);
    }

    /// <summary>Refusals seen (pin, pass, layout change), one line each.</summary>
    public IReadOnlyList<string> Refusals => _refusals;

    /// <summary>Processes the policy killed, one line each.</summary>
    public IReadOnlyList<string> Kills => _kills;

    /// <summary>Policy rules broken, one line each, naming the rule.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Findings H6–H8.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>Layout changes in the order they started.</summary>
    public IReadOnlyList<LayoutChangeRecord> LayoutChanges => _changeOrder;

    /// <summary>True when a block was freed under a long-term region.</summary>
    public bool Corrupted => _regions.Values.Concat(_finished).Any(r => r.FreedUnder is not null);

    /// <summary>H6: regions on <paramref name="path"/> that nobody holds any more while the last layout lease went first.</summary>
    /// <remarks>Apart from OnEvent: a lambda there capturing the event would allocate its closure on every event.</remarks>
    private void CheckUnheldRegions(string path, TimeSpan now)
    {
        foreach (var region in _regions.Values.Where(r => !r.Odp && r.Path == path && _holdings.HoldersOf(r.Context).Count == 0))
        {
            // Nobody holds the context any more (its last close is still to run), and the lease is gone first.
            if (_layoutLeases.Values.Any(l => l.Path == region.Path) || !_reported.Add(("(no holder)", region.Id))) continue;
            _findings.Add(new Finding("H6", now, null, $"the last layout lease on {region.Path} went while region {region.Name} still pinned it (its verbs context's final close had not run yet)"));
        }
    }

    private void OnEvent(TraceEntry entry)
    {
        if (entry.Event is not TraceEvent e) return;
        if (_ownHoldings) _holdings.Apply(e);
        var now = entry.Time;
        switch (e.Kind)
        {
            case "region.registered":
                _regions[e.Number("id")] = new Region(e.Number("id"), e.Str("region"), e.Str("process"), e.Str("path"), e.Number("context"),
                    e["odp"] is true, e["dmaPerSecond"] is double d ? d : e.Number("dmaPerSecond"),
                    e["blocks"] as BlockSet ?? BlockSet.Empty, now);
                CheckHolders(now);
                break;
            case "region.torndown" when _regions.Remove(e.Number("id"), out var gone):
                gone.TornDown = now;
                _finished.Add(gone);
                break;
            case "region.refused":
                _refusals.Add($"{e.Str("process")}: ibv_reg_mr of region {e.Str("region")} on {e.Str("path")} failed {e.Str("errno")} ({e.Str("why")})");
                break;
            case "pass.refused":
                _refusals.Add($"{e.Str("process")}: sendmsg(SCM_RIGHTS) of {_holdings.PathOf(e.Number("ofd"))} failed {e.Str("errno")} (it carries pins)");
                break;
            case "blocks.freed":
            {
                var freed = e["blocks"] as BlockSet ?? BlockSet.Empty;
                foreach (var region in _regions.Values.Where(r => !r.Odp && r.FreedUnder is null && r.Blocks.Overlaps(freed)))
                    region.FreedUnder = now;
                break;
            }
            case "layout.change":
            {
                var deadline = e.Number("deadlineUs");
                var record = new LayoutChangeRecord(e.Str("path"), e.Str("process"), e.Str("op"), now.TotalMilliseconds, deadline == 0 ? null : deadline / 1000.0);
                _changes[(e.Str("process"), e.Number("call"))] = record;
                _changeOrder.Add(record);
                break;
            }
            case "layout.waiting" when _changes.TryGetValue((e.Str("process"), e.Number("call")), out var waiting):
                waiting.WaitedFor = e.Str("what");
                break;
            case "layout.done" when _changes.Remove((e.Str("process"), e.Number("call")), out var done):
                done.DoneMs = now.TotalMilliseconds;
                done.Errno = e["errno"] as string;
                if (done.Errno is not null and not "EINTR") _refusals.Add($"{done.Process}: {done.Op} of {done.Path} failed {done.Errno}");
                break;
            case "policy.kill":
                _kills.Add($"{e.Str("process")} was killed: {e.Str("why")}");
                break;
            case "lease.added" when e.Str("class").Contains("Layout", StringComparison.Ordinal):
                _layoutLeases[e.Number("ofd")] = (e.Str("path"), e.Str("process"));
                break;
            case "lease.removed" when e.Str("class").Contains("Layout", StringComparison.Ordinal):
                _layoutLeases.Remove(e.Number("ofd"));
                CheckHolders(now);
                CheckUnheldRegions(e.Str("path"), now);
                break;
            case "fd.installed" or "fd.closed" or "munmap" or "process.exited":
                CheckHolders(now);
                break;
        }
    }

    /// <summary>Every holder of a long-term region's context must hold a live layout lease on the region's file (Dave Chinner's rule).</summary>
    private void CheckHolders(TimeSpan now)
    {
        if (_regions.Count == 0) return; // most fd events of most runs: nothing to check, and nothing allocated
        foreach (var region in _regions.Count == 1 ? (IEnumerable<Region>)_regions.Values : _regions.Values.OrderBy(r => r.Id))
        {
            if (region.Odp) continue;
            foreach (var holder in _holdings.HoldersOf(region.Context))
            {
                if (CoveredByOwnLease(region, holder) || !_reported.Add((holder, region.Id))) continue;
                var passed = holder != region.Process;
                var detail = passed
                    ? $"{holder} holds the pins of region {region.Name} on {region.Path} (its verbs context was passed to it) without a layout lease of its own"
                    : $"{holder} still holds the pins of region {region.Name} on {region.Path} after its layout lease went";
                _findings.Add(new Finding(passed ? "H7" : "H6", now, holder, detail));
                if (_policy.LeasePerHolder) _violations.Add($"lease-per-holder: {detail}");
            }
        }
    }

    /// <summary>"Its own": a live layout lease on the region's file that <paramref name="holder"/> took, through a description it still holds.</summary>
    private bool CoveredByOwnLease(Region region, string holder)
    {
        foreach (var (ofd, (path, taker)) in _layoutLeases)
            if (path == region.Path && taker == holder && _holdings.Holds(holder, ofd)) return true;
        return false;
    }

    /// <summary>The regions of the run, with their DMA accounting at <paramref name="endMs"/>.</summary>
    public ImmutableArray<RegionRecord> Regions(double endMs) =>
    [
        .. _finished.Concat(_regions.Values).OrderBy(r => r.Id).Select(r =>
        {
            var end = r.TornDown?.TotalMilliseconds ?? endMs;
            var writes = (long)Math.Round(r.Rate * (end - r.Registered.TotalMilliseconds) / 1000.0);
            long intoFreed = r.FreedUnder is { } f ? (long)Math.Round(r.Rate * (end - f.TotalMilliseconds) / 1000.0) : 0;
            return new RegionRecord(r.Name, r.Process, r.Path, r.Odp, r.Blocks.Count, r.Registered.TotalMilliseconds, r.TornDown?.TotalMilliseconds,
                writes, r.FreedUnder?.TotalMilliseconds, intoFreed);
        }),
    ];

    /// <summary>H8 for closes still held by pins at the end (a close-order deadlock when the holder was exiting).</summary>
    public void NoteHeldCloses(IEnumerable<(string Path, string Process, TimeSpan Since)> blocked)
    {
        ArgumentNullException.ThrowIfNull(blocked);
        foreach (var b in blocked.Where(b => b.Process.StartsWith("close of", StringComparison.Ordinal)))
            _findings.Add(new Finding("H8", b.Since, null, $"the {b.Process} ({b.Path}) blocked on pins and never returned: the pins' holder could not release them (close order at exit)"));
    }
}

/// <summary>One RDMA memory region of a run.</summary>
/// <param name="Name">The region's name (<c>as</c> of its reg-mr step).</param>
/// <param name="Process">The process that registered it.</param>
/// <param name="Path">The file whose blocks it covers.</param>
/// <param name="Odp">On-demand paging: it pins nothing.</param>
/// <param name="Blocks">How many blocks it covers.</param>
/// <param name="RegisteredMs">When it was registered.</param>
/// <param name="TornDownMs">When it was torn down; null if it outlived the run.</param>
/// <param name="DmaWrites">DMA writes it made (its rate over its lifetime).</param>
/// <param name="FreedUnderMs">When a block it pins was freed under it (corruption starts); null if never.</param>
/// <param name="DmaWritesIntoFreedBlocks">DMA writes made after that, into blocks the file no longer owns.</param>
public sealed record RegionRecord(string Name, string Process, string Path, bool Odp, int Blocks, double RegisteredMs, double? TornDownMs,
    long DmaWrites, double? FreedUnderMs, long DmaWritesIntoFreedBlocks);

/// <summary>One layout change (truncate, punch hole, or a write RFC v2 treats as one): when it started, its deadline, how it ended.</summary>
public sealed record LayoutChangeRecord(string Path, string Process, string Op, double StartMs, double? DeadlineMs)
{
    /// <summary>When it returned; null if it was still blocked at the end.</summary>
    public double? DoneMs { get; set; }

    /// <summary>The errno it failed with; null on success or while blocked.</summary>
    public string? Errno { get; set; }

    /// <summary>What it last waited for (layout leases, or pins of named regions); null if it never waited.</summary>
    public string? WaitedFor { get; set; }

    /// <summary>True when it waited past its deadline (start + lease-break-time), or was still waiting past it at <paramref name="endMs"/>.</summary>
    public bool IsLate(double endMs) => DeadlineMs is { } d && (DoneMs ?? endMs) > d;
}
