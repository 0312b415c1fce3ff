using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using LeaseActors.Judging;
using LeaseActors.Simulation.Tracing;

namespace StorageServer;

/// <summary>
/// What the runs of one policy showed, summed over its seeds: verdicts, the worst slack, what was judged in how many
/// runs (a run's verdict is only its most severe finding), who the kernel signalled, who tore the pins down, and how
/// the truncates ended. Built from the judged <see cref="RunReport"/>s and their traces; the model is not asked twice.
/// </summary>
internal sealed partial class PolicySummary
{
    private readonly SortedDictionary<Verdict, int> _verdicts = [];
    private readonly SortedDictionary<string, int> _judged = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _notified = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _tornDownBy = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _truncates = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _findings = new(StringComparer.Ordinal);
    private readonly List<string> _examples = [];
    private readonly List<ulong> _seeds = [];

    public PolicySummary(string policy) => Policy = policy;

    /// <summary>The policy's name.</summary>
    public string Policy { get; }

    /// <summary>Runs summed.</summary>
    public int Runs { get; private set; }

    /// <summary>Runs per verdict, least severe first.</summary>
    public IReadOnlyDictionary<Verdict, int> Verdicts => _verdicts;

    /// <summary>The most severe verdict of any run.</summary>
    public Verdict Worst => _verdicts.Count == 0 ? Verdict.Clean : _verdicts.Keys.Max();

    /// <summary>The least slack of any break or layout change in any run (ms; negative: past its deadline); null when none had one.</summary>
    public double? WorstSlackMs { get; private set; }

    /// <summary>In how many runs each judged condition occurred (corruption, hang, violation, killed, late, refused).</summary>
    public IReadOnlyDictionary<string, int> Judged => _judged;

    /// <summary>Processes a lease-break signal from the kernel reached, in any run.</summary>
    public IReadOnlyCollection<string> Notified => _notified;

    /// <summary>Regions torn down, by who or what tore them down (<c>client-3 (ibv_dereg_mr)</c>, <c>context closed</c>).</summary>
    public IReadOnlyDictionary<string, int> TornDownBy => _tornDownBy;

    /// <summary>Truncates (or punch holes) by outcome: <c>ok</c>, an errno, or <c>still blocked</c>.</summary>
    public IReadOnlyDictionary<string, int> Truncates => _truncates;

    /// <summary>The longest a truncate waited (ms), or ran until the end of the run while still waiting.</summary>
    public double LongestTruncateMs { get; private set; }

    /// <summary>Regions the server registered, over all runs.</summary>
    public int RegionsRegistered { get; private set; }

    /// <summary>DMA writes made into blocks after they were freed (corruption), over all runs.</summary>
    public long DmaWritesIntoFreedBlocks { get; private set; }

    /// <summary>Findings (H2–H9) by id, over all runs.</summary>
    public IReadOnlyDictionary<string, int> Findings => _findings;

    /// <summary>One example line for each judged condition (refusal, violation, kill, blocked call), first seen first.</summary>
    public IReadOnlyList<string> Examples => _examples;

    /// <summary>Seeds of the runs with the worst verdict (what <c>leaseactors replay</c> would take, were this a file).</summary>
    public IReadOnlyList<ulong> WorstSeeds => _seeds;

    /// <summary>Adds one judged run.</summary>
    public void Add(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Runs++;
        var before = Worst;
        _verdicts[report.Verdict] = _verdicts.GetValueOrDefault(report.Verdict) + 1;
        if (report.Verdict > before || Runs == 1) _seeds.Clear();
        if (report.Verdict == Worst) _seeds.Add(report.Seed);
        if (report.WorstSlackMs is { } slack && (WorstSlackMs is null || slack < WorstSlackMs)) WorstSlackMs = slack;

        var end = report.VirtualTimeMs;
        var corrupted = report.Regions.Any(r => r.FreedUnderMs is not null);
        var late = report.Breaks.Any(b => b.IsLate(end)) || report.LayoutChanges.Any(c => c.IsLate(end));
        Count("corruption", corrupted);
        Count("hang", report.Verdict == Verdict.Hang);
        Count("violation", report.Violations.Length > 0);
        Count("killed", report.Kills.Length > 0);
        Count("late", late);
        Count("refused", report.Refusals.Length > 0);
        Example("refused", report.Refusals.FirstOrDefault());
        Example("violation", report.Violations.FirstOrDefault());
        Example("killed", report.Kills.FirstOrDefault());
        Example("blocked", report.Blocked.FirstOrDefault() is { } b
            ? $"{b.Process}: {b.Call}{(b.Label is null ? "" : " (" + b.Label + ")")} still blocked at the end, since {Ms(b.SinceMs)}" : null);

        foreach (var br in report.Breaks) _notified.UnionWith(br.Notified);
        foreach (var region in report.Regions)
        {
            RegionsRegistered++;
            DmaWritesIntoFreedBlocks += region.DmaWritesIntoFreedBlocks;
        }
        foreach (var change in report.LayoutChanges.Where(c => c.Op is "truncate" or "punch-hole"))
        {
            var outcome = change.DoneMs is null ? "still blocked" : change.Errno ?? "ok";
            _truncates[outcome] = _truncates.GetValueOrDefault(outcome) + 1;
            LongestTruncateMs = Math.Max(LongestTruncateMs, (change.DoneMs ?? end) - change.StartMs);
        }
        foreach (var finding in report.Findings) _findings[finding.Id] = _findings.GetValueOrDefault(finding.Id) + 1;
        foreach (var entry in report.Trace.Entries)
        {
            if (entry.Event is not TraceEvent { Kind: "region.torndown" } e) continue;
            var by = e["process"] is string { Length: > 0 } p ? $"{p} ({e["why"]})" : "context closed";
            _tornDownBy[by] = _tornDownBy.GetValueOrDefault(by) + 1;
        }
    }

    private void Count(string condition, bool seen)
    {
        if (seen) _judged[condition] = _judged.GetValueOrDefault(condition) + 1;
    }

    private void Example(string condition, string? line)
    {
        if (line is null || _examples.Any(x => x.StartsWith(condition + ":", StringComparison.Ordinal))) return;
        _examples.Add(condition + ": " + line);
    }

    /// <summary><c>refused 3, clean 2</c>: the verdicts, most severe first.</summary>
    public string VerdictText() => string.Join(", ", _verdicts.OrderByDescending(v => v.Key).Select(v => $"{v.Key.Name()} {v.Value}"));

    /// <summary>Process names with the clients folded: <c>server, client-0…7</c>.</summary>
    public static string Processes(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0) return "nobody";
        var clients = list.Select(n => ClientName().Match(n)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToList();
        var others = list.Where(n => !ClientName().IsMatch(n)).ToList();
        if (clients.Count > 1 && clients[^1] - clients[0] == clients.Count - 1) others.Add($"client-{clients[0]}…{clients[^1]}");
        else others.AddRange(clients.Select(c => $"client-{c}"));
        return string.Join(", ", others);
    }

    /// <summary>Who tore the regions down, with the clients folded: <c>client-0…7 (ibv_dereg_mr) ×24, context closed ×3</c>.</summary>
    public string TornDownText()
    {
        if (_tornDownBy.Count == 0) return RegionsRegistered == 0 ? "no region was registered" : $"nobody: {RegionsRegistered} regions still registered at the end";
        var groups = _tornDownBy
            .GroupBy(kv => ClientName().IsMatch(kv.Key.Split(' ')[0]) ? "client " + kv.Key[(kv.Key.IndexOf(' ', StringComparison.Ordinal) + 1)..] : kv.Key, StringComparer.Ordinal)
            .Select(g => g.Key.StartsWith("client (", StringComparison.Ordinal)
                ? $"{Processes(g.Select(kv => kv.Key.Split(' ')[0]))} {g.Key[7..]} ×{g.Sum(kv => kv.Value)}"
                : $"{g.Key} ×{g.Sum(kv => kv.Value)}");
        var pending = RegionsRegistered - _tornDownBy.Values.Sum();
        return string.Join(", ", groups) + (pending > 0 ? $", still registered at the end ×{pending}" : "");
    }

    /// <summary><c>9 ok, longest 10.2 ms</c>; a truncate still blocked when the run ended (in quiescence, with nothing left to wake it) never returned.</summary>
    public string TruncateText() => _truncates.Count == 0
        ? "none started"
        : string.Join(", ", _truncates.OrderByDescending(t => t.Value).Select(t => $"{t.Value} {t.Key}"))
            + (_truncates.ContainsKey("still blocked") ? ", never returned" : $", longest {Ms(LongestTruncateMs)}");

    /// <summary><c>late 3/3, refused 3/3</c>: the conditions judged, most severe first, in how many runs.</summary>
    public string JudgedText()
    {
        string[] order = ["corruption", "hang", "violation", "killed", "late", "refused"];
        var seen = order.Where(_judged.ContainsKey).Select(c => $"{c} {_judged[c]}/{Runs}").ToList();
        return seen.Count == 0 ? "nothing: every break answered and every region gone before its deadline" : string.Join(", ", seen);
    }

    /// <summary>A time in ms as the report prints it: <c>10 ms</c>, <c>45 s</c>, <c>-15 s</c>.</summary>
    public static string Ms(double ms) => Math.Abs(ms) >= 1000
        ? (ms / 1000).ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    [GeneratedRegex(@"^client-(\d+)$")]
    private static partial Regex ClientName();
}
