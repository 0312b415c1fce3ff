using System.Collections.Immutable;
using LeaseActors.Judging;

namespace LeaseActors.Campaigns;

/// <summary>
/// What a campaign found, kept in memory that does not grow with the number of runs: counts per verdict, a slack
/// histogram at 1 ms resolution (with the exact minimum), counts per verdict for each kind of fault (bounded by the
/// fault points, not by the runs), and the worst runs. Fed one run at a time, from fresh runs
/// or from the lines of a results file being resumed.
/// </summary>
public sealed class CampaignSummary
{
    private readonly long[] _counts = new long[Enum.GetValues<Verdict>().Length];
    private readonly SortedDictionary<long, long> _slackHistogram = []; // floor(slack ms) → runs
    private readonly int _keepWorst;
    private readonly List<WorstRun> _worst = [];
    private readonly SortedDictionary<(string Kind, string Point), long[]> _byFault = [];
    private readonly long[] _withoutFaults = new long[Enum.GetValues<Verdict>().Length];

    /// <summary>A summary that keeps the <paramref name="keepWorst"/> worst runs.</summary>
    public CampaignSummary(int keepWorst = 5) => _keepWorst = keepWorst;

    /// <summary>Runs counted.</summary>
    public long Runs { get; private set; }

    /// <summary>Runs that had a slack (a break or layout change with a deadline).</summary>
    public long RunsWithSlack { get; private set; }

    /// <summary>The smallest slack seen, exactly; null when no run had one.</summary>
    public double? MinSlackMs { get; private set; }

    /// <summary>One of the worst runs: most severe verdict first, then least slack.</summary>
    public sealed record WorstRun(long Run, ulong Seed, Verdict Verdict, double? SlackMs);

    /// <summary>
    /// Counts one run; <paramref name="faults"/> are the (kind, point) of the faults injected into it, each kind counted
    /// once per run however often it happened.
    /// </summary>
    public void Add(long run, ulong seed, Verdict verdict, double? slackMs, IEnumerable<(string Kind, string Point)>? faults = null)
    {
        Runs++;
        _counts[(int)verdict]++;
        var any = false;
        foreach (var key in (faults ?? []).Distinct())
        {
            any = true;
            if (!_byFault.TryGetValue(key, out var counts)) _byFault[key] = counts = new long[_counts.Length];
            counts[(int)verdict]++;
        }
        if (!any) _withoutFaults[(int)verdict]++;
        if (slackMs is { } s)
        {
            RunsWithSlack++;
            var bucket = (long)Math.Floor(s);
            _slackHistogram[bucket] = _slackHistogram.GetValueOrDefault(bucket) + 1;
            if (MinSlackMs is null || s < MinSlackMs) MinSlackMs = s;
        }
        var candidate = new WorstRun(run, seed, verdict, slackMs);
        _worst.Add(candidate);
        _worst.Sort(CompareWorst);
        if (_worst.Count > _keepWorst) _worst.RemoveAt(_worst.Count - 1);
    }

    /// <summary>Counts one run from its result (a run made here, a resumed line, or a line from another machine).</summary>
    public void Add(CampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Add(result.Run, result.Seed, result.Verdict, result.WorstSlackMs, result.Faults);
    }

    private static int CompareWorst(WorstRun a, WorstRun b)
    {
        var bySeverity = ((int)b.Verdict).CompareTo((int)a.Verdict);
        if (bySeverity != 0) return bySeverity;
        var bySlack = (a.SlackMs ?? double.MaxValue).CompareTo(b.SlackMs ?? double.MaxValue);
        return bySlack != 0 ? bySlack : a.Run.CompareTo(b.Run);
    }

    /// <summary>Runs with <paramref name="verdict"/>.</summary>
    public long Count(Verdict verdict) => _counts[(int)verdict];

    /// <summary>The worst runs kept.</summary>
    public IReadOnlyList<WorstRun> Worst => _worst;

    /// <summary>The fraction of runs with <paramref name="verdict"/> and its 95% Wilson score interval.</summary>
    public (double P, double Low, double High) Probability(Verdict verdict) => Wilson(Count(verdict), Runs);

    /// <summary>The 95% Wilson score interval of <paramref name="hits"/> out of <paramref name="n"/> (Wilson 1927).</summary>
    public static (double P, double Low, double High) Wilson(long hits, long n)
    {
        if (n <= 0) return (0, 0, 1);
        const double z = 1.959963984540054;
        var p = (double)hits / n;
        var z2n = z * z / n;
        var center = (p + z2n / 2) / (1 + z2n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
        return (p, Math.Max(0, center - half), Math.Min(1, center + half));
    }

    /// <summary>The slack at percentile <paramref name="percent"/> (0–100), at 1 ms resolution (the bucket's floor); null without slacks.</summary>
    public double? SlackPercentile(double percent)
    {
        if (RunsWithSlack == 0) return null;
        var rank = (long)Math.Ceiling(percent / 100.0 * RunsWithSlack);
        if (rank < 1) rank = 1;
        long seen = 0;
        foreach (var (bucket, count) in _slackHistogram)
        {
            seen += count;
            if (seen >= rank) return bucket;
        }
        return _slackHistogram.Keys.Last();
    }

    /// <summary>True when some run's verdict is <paramref name="failOn"/> or more severe.</summary>
    public bool Reached(Verdict failOn) => Enumerable.Range((int)failOn, _counts.Length - (int)failOn).Any(v => _counts[v] > 0);

    /// <summary>The slack histogram: (floor of the slack in ms, runs), lowest first.</summary>
    public IReadOnlyList<(long BucketMs, long Runs)> SlackHistogram => [.. _slackHistogram.Select(b => (b.Key, b.Value))];

    /// <summary>One kind of fault (a kind at a point) and the verdicts of the runs that had it.</summary>
    public sealed record FaultBreakdown(string Kind, string Point, ImmutableArray<long> Verdicts)
    {
        /// <summary>Runs that had this fault.</summary>
        public long Runs => Verdicts.Sum();

        /// <summary>Those of them whose verdict was not clean.</summary>
        public long NotClean => Runs - Verdicts[(int)Verdict.Clean];
    }

    /// <summary>Verdict counts per kind of fault, ordered by kind and point.</summary>
    public IReadOnlyList<FaultBreakdown> ByFault => [.. _byFault.Select(f => new FaultBreakdown(f.Key.Kind, f.Key.Point, [.. f.Value]))];

    /// <summary>Verdict counts of the runs that had no fault at all.</summary>
    public FaultBreakdown WithoutFaults => new("none", "none", [.. _withoutFaults]);

    /// <summary>Counts per verdict, least severe first.</summary>
    public ImmutableArray<(Verdict Verdict, long Runs)> Counts => [.. Enum.GetValues<Verdict>().Select(v => (v, _counts[(int)v]))];
}
