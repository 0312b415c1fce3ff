using System.Collections.Immutable;
using LeaseActors.Judging;

namespace LeaseActors.Campaigns;

/// <summary>
/// What a campaign found, kept in memory that does not grow with the number of runs: counts per verdict, a slack
/// histogram at 1 ms resolution (with the exact minimum), and the worst runs. Fed one run at a time, from fresh runs
/// or from the lines of a results file being resumed.
/// </summary>
public sealed class CampaignSummary
{
    private readonly long[] _counts = new long[Enum.GetValues<Verdict>().Length];
    private readonly SortedDictionary<long, long> _slackHistogram = []; // floor(slack ms) → runs
    private readonly int _keepWorst;
    private readonly List<WorstRun> _worst = [];

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

    /// <summary>Counts one run.</summary>
    public void Add(long run, ulong seed, Verdict verdict, double? slackMs)
    {
        Runs++;
        _counts[(int)verdict]++;
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

    /// <summary>Counts per verdict, least severe first.</summary>
    public ImmutableArray<(Verdict Verdict, long Runs)> Counts => [.. Enum.GetValues<Verdict>().Select(v => (v, _counts[(int)v]))];
}
