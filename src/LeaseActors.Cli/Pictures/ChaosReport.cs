using System.Globalization;
using System.Text;
using LeaseActors.Campaigns;
using LeaseActors.Judging;
using static LeaseActors.Cli.Pictures.Html;

namespace LeaseActors.Cli.Pictures;

/// <summary>What a campaign report shows, gathered by <c>chaos --report</c>.</summary>
/// <param name="Title">Topology, policy and campaign seed, for the heading.</param>
/// <param name="Summary">The campaign's summary.</param>
/// <param name="Command">The command line that ran the campaign, as a person would type it.</param>
/// <param name="WallSeconds">How long the runs of this invocation took.</param>
/// <param name="Worst">The worst runs with the command that replays each.</param>
/// <param name="Example">The run whose timeline is shown (the shrunk counterexample, or the run with the least slack).</param>
/// <param name="ExampleTitle">What <paramref name="Example"/> is.</param>
/// <param name="ExampleLines">Lines under the example's title: its faults and the commands that replay it.</param>
internal sealed record ChaosReportInput(
    string Title, CampaignSummary Summary, string Command, double WallSeconds,
    IReadOnlyList<(CampaignSummary.WorstRun Run, string Replay)> Worst,
    RunReport? Example, string ExampleTitle, IReadOnlyList<string> ExampleLines);

/// <summary>
/// A chaos campaign as a self-contained HTML page: the verdict distribution, the slack histogram with the deadline
/// (slack 0) marked, the slack CDF with where it crosses the deadline, the verdicts by kind of fault, the worst runs
/// with replay commands, and the timeline of the shrunk counterexample (<see cref="HtmlTimeline"/>).
/// </summary>
internal static class ChaosReport
{
    private const double ChartLeft = 70, ChartWidth = 900, ChartHeight = 220;

    public static string Page(ChaosReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Summary;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<h1>chaos: {E(input.Title)}</h1>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{s.Runs} runs · <code>{E(input.Command)}</code> · {input.WallSeconds:0.0} s of runs in this invocation</p>\n");
        var notClean = s.Runs - s.Count(Verdict.Clean);
        sb.Append(CultureInfo.InvariantCulture, $"<ul class=\"headlines\" id=\"headlines\"><li>{E(Headline(s, notClean))}</li>{(SlackHeadline(s) is { } h ? $"<li>{E(h)}</li>" : "")}</ul>\n");

        sb.Append("<h2>Verdicts</h2>\n").Append(Verdicts(s));
        sb.Append("<h2>Slack (deadline minus the later of release and teardown)</h2>\n");
        if (s.RunsWithSlack == 0) sb.Append("<p id=\"no-slack\">No run had a deadline.</p>\n");
        else sb.Append(Histogram(s)).Append(Cdf(s));
        sb.Append("<h2>By kind of fault</h2>\n").Append(Faults(s));

        sb.Append("<h2>Worst runs</h2>\n<table id=\"worst\"><tr><th>run</th><th>verdict</th><th>slack</th><th>replay</th></tr>\n");
        foreach (var (run, replay) in input.Worst)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{run.Run}</td><td>{E(run.Verdict.Name())}</td><td class=\"num\">{(run.SlackMs is { } sl ? E(RunPicture.Duration(sl)) : "n/a")}</td><td><code>{E(replay)}</code></td></tr>\n");
        sb.Append("</table>\n");

        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"example-title\">{E(input.ExampleTitle)}</h2>\n");
        if (input.ExampleLines.Count > 0)
        {
            sb.Append("<ul id=\"example-lines\">\n");
            foreach (var line in input.ExampleLines) sb.Append(CultureInfo.InvariantCulture, $"<li>{(line.StartsWith("leaseactors ", StringComparison.Ordinal) ? $"<code>{E(line)}</code>" : E(line))}</li>\n");
            sb.Append("</ul>\n");
        }
        if (input.Example is { } example) sb.Append("<div id=\"example\">").Append(HtmlTimeline.Fragment(RunPicture.Of(example))).Append("</div>\n");
        return Html.Page("chaos: " + input.Title, sb.ToString());
    }

    private static string Headline(CampaignSummary s, long notClean)
    {
        if (notClean == 0) return $"all {s.Runs} runs were clean";
        var (p, low, high) = CampaignSummary.Wilson(notClean, s.Runs);
        return $"{notClean} of {s.Runs} runs were not clean: p = {p:0.####} (95% {low:0.####}–{high:0.####})";
    }

    /// <summary>Where the slack distribution crosses the deadline.</summary>
    private static string? SlackHeadline(CampaignSummary s)
    {
        if (s.RunsWithSlack == 0) return null;
        var past = s.SlackHistogram.Where(b => b.BucketMs < 0).Sum(b => b.Runs);
        var atDeadline = s.SlackHistogram.Where(b => b.BucketMs == 0).Sum(b => b.Runs);
        return $"slack crosses the deadline at the {Percent(past + atDeadline, s.RunsWithSlack)} point: {past} runs finished past the deadline (slack < 0), " +
               $"{atDeadline} within 1 ms of it (0 ≤ slack < 1 ms), of {s.RunsWithSlack} runs with a deadline; least slack {RunPicture.Duration(s.MinSlackMs!.Value)}";
    }

    private static string Percent(long part, long whole) => whole == 0 ? "0%" : (100.0 * part / whole).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Verdicts(CampaignSummary s)
    {
        var rows = s.Counts;
        var max = Math.Max(1, rows.Max(r => r.Runs));
        const double rowHeight = 24, labelWidth = 100;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"verdicts\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(labelWidth + ChartWidth)}\" height=\"{N(rows.Length * rowHeight + 6)}\">\n");
        foreach (var ((verdict, runs), i) in rows.Select((r, i) => (r, i)))
        {
            var y = i * rowHeight + 3;
            var w = runs == 0 ? 0 : Math.Max(2, runs / (double)max * (ChartWidth - 260));
            var (p, low, high) = s.Probability(verdict);
            var detail = $"{verdict.Name()}: {runs} of {s.Runs} runs, p = {p:0.######} (95% Wilson interval {low:0.######}–{high:0.######})";
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"verdict-bar\" data-detail=\"{E(detail)}\"><text x=\"{N(labelWidth - 8)}\" y=\"{N(y + 15)}\" text-anchor=\"end\">{E(verdict.Name())}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(labelWidth)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(rowHeight - 6)}\" fill=\"{(verdict == Verdict.Clean ? "#2e7d32" : "#c62828")}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(labelWidth + w + 6)}\" y=\"{N(y + 15)}\">{runs} ({Percent(runs, s.Runs)})</text></g>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Bins of a width of 1, 2 or 5 times a power of ten ms, aligned on 0 so that the deadline is a bin edge.</summary>
    private static (double Lo, double Hi, double Width, long[] Counts) Bins(CampaignSummary s)
    {
        var hist = s.SlackHistogram;
        double lo = Math.Min(0, hist[0].BucketMs), hi = Math.Max(1, hist[^1].BucketMs + 1);
        var width = Math.Max(1, HtmlTimeline.NiceStep((hi - lo) / 60));
        lo = Math.Floor(lo / width) * width;
        hi = Math.Ceiling(hi / width) * width;
        var counts = new long[Math.Max(1, (int)Math.Round((hi - lo) / width))];
        foreach (var (bucket, runs) in hist)
            counts[Math.Clamp((int)Math.Floor((bucket - lo) / width), 0, counts.Length - 1)] += runs;
        return (lo, hi, width, counts);
    }

    private static string Histogram(CampaignSummary s)
    {
        var (lo, hi, width, counts) = Bins(s);
        double X(double ms) => ChartLeft + (ms - lo) / (hi - lo) * ChartWidth;
        var maxLog = Math.Log10(1 + counts.Max());
        double H(long n) => n == 0 ? 0 : Math.Max(2, Math.Log10(1 + n) / maxLog * (ChartHeight - 30));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<h3>Histogram ({E(RunPicture.Duration(width))} bins, runs on a log scale)</h3>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"histogram\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(ChartLeft + ChartWidth + 60)}\" height=\"{N(ChartHeight + 40)}\">\n");
        Axes(sb, lo, hi, X);
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            var from = lo + i * width;
            var h = H(counts[i]);
            // Runs with less than 1 ms of slack (the 1 ms buckets at or below 0) finished at or past the deadline: red.
            var late = s.SlackHistogram.Where(b => b.BucketMs <= 0 && b.BucketMs >= from && b.BucketMs < from + width).Sum(b => b.Runs);
            var detail = $"slack {RunPicture.Duration(from)} to {RunPicture.Duration(from + width)}: {counts[i]} runs ({Percent(counts[i], s.RunsWithSlack)})" +
                         (late > 0 ? $", {late} of them at or past the deadline (slack < 1 ms)" : "");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bin{(late > 0 ? " past" : "")}\" x=\"{N(X(from) + 0.5)}\" y=\"{N(ChartHeight - h)}\" width=\"{N(Math.Max(1, X(from + width) - X(from) - 1))}\" height=\"{N(h)}\" fill=\"{(late > 0 ? "#c62828" : "#2e7d32")}\" data-detail=\"{E(detail)}\"/>\n");
        }
        Deadline(sb, X(0));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Cdf(CampaignSummary s)
    {
        var hist = s.SlackHistogram;
        var (lo, hi, _, _) = Bins(s);
        double X(double ms) => ChartLeft + (Math.Clamp(ms, lo, hi) - lo) / (hi - lo) * ChartWidth;
        double Y(double f) => ChartHeight - f * (ChartHeight - 30);
        var sb = new StringBuilder();
        sb.Append("<h3>Cumulative distribution (share of runs with at most this slack)</h3>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"cdf\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(ChartLeft + ChartWidth + 60)}\" height=\"{N(ChartHeight + 40)}\">\n");
        Axes(sb, lo, hi, X);
        foreach (var f in new[] { 0.0, 0.5, 1.0 })
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{N(ChartLeft - 6)}\" y=\"{N(Y(f) + 4)}\" text-anchor=\"end\">{f:0.#}</text><line x1=\"{N(ChartLeft)}\" x2=\"{N(ChartLeft + ChartWidth)}\" y1=\"{N(Y(f))}\" y2=\"{N(Y(f))}\" stroke=\"#eee\"/>\n");
        var points = new StringBuilder($"{N(X(lo))},{N(Y(0))}");
        long seen = 0;
        foreach (var (bucket, runs) in hist)
        {
            var before = seen / (double)s.RunsWithSlack;
            seen += runs;
            var after = seen / (double)s.RunsWithSlack;
            points.Append(CultureInfo.InvariantCulture, $" {N(X(bucket))},{N(Y(before))} {N(X(bucket))},{N(Y(after))}");
        }
        points.Append(CultureInfo.InvariantCulture, $" {N(X(hi))},{N(Y(1))}");
        sb.Append(CultureInfo.InvariantCulture, $"<polyline id=\"cdf-line\" points=\"{points}\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>\n");
        Deadline(sb, X(0));
        var atDeadline = hist.Where(b => b.BucketMs <= 0).Sum(b => b.Runs) / (double)s.RunsWithSlack;
        var detail = $"at the deadline: {Percent(hist.Where(b => b.BucketMs <= 0).Sum(b => b.Runs), s.RunsWithSlack)} of the runs had less than 1 ms of slack";
        sb.Append(CultureInfo.InvariantCulture, $"<g id=\"crossing\" data-detail=\"{E(detail)}\"><circle cx=\"{N(X(0))}\" cy=\"{N(Y(atDeadline))}\" r=\"6\" fill=\"#c62828\" stroke=\"#fff\" stroke-width=\"2\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(0) + 10)}\" y=\"{N(Math.Max(14, Y(atDeadline) - 8))}\" style=\"fill:#c62828;font-weight:600\">{E(Percent(hist.Where(b => b.BucketMs <= 0).Sum(b => b.Runs), s.RunsWithSlack))} at or past the deadline</text></g>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Axes(StringBuilder sb, double lo, double hi, Func<double, double> x)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(ChartLeft)}\" x2=\"{N(ChartLeft + ChartWidth)}\" y1=\"{N(ChartHeight)}\" y2=\"{N(ChartHeight)}\" stroke=\"#333\"/>\n");
        var step = HtmlTimeline.NiceStep((hi - lo) / 8);
        for (var t = Math.Ceiling(lo / step) * step; t <= hi + 1e-9; t += step)
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x(t))}\" x2=\"{N(x(t))}\" y1=\"{N(ChartHeight)}\" y2=\"{N(ChartHeight + 4)}\" stroke=\"#333\"/><text class=\"tick\" x=\"{N(x(t))}\" y=\"{N(ChartHeight + 16)}\" text-anchor=\"middle\">{E(RunPicture.Duration(t))}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{N(ChartLeft + ChartWidth / 2)}\" y=\"{N(ChartHeight + 34)}\" text-anchor=\"middle\">slack (negative: past the deadline)</text>\n");
    }

    private static void Deadline(StringBuilder sb, double x) =>
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"deadline\" x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"4\" y2=\"{N(ChartHeight)}\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"{N(x + 4)}\" y=\"14\" style=\"fill:#c62828;font-weight:600\">deadline (slack 0)</text>\n");

    private static string Faults(CampaignSummary s)
    {
        var rows = s.ByFault.ToList();
        var none = s.WithoutFaults;
        if (rows.Count == 0) return "<p id=\"no-faults\">No run had a fault injected.</p>\n";
        var sb = new StringBuilder("<table id=\"faults\"><tr><th>fault (kind at point)</th><th>runs with it</th><th>not clean among them</th><th>share not clean</th>");
        var verdicts = Enum.GetValues<Verdict>().Where(v => v != Verdict.Clean && (rows.Any(r => r.Verdicts[(int)v] > 0) || none.Verdicts[(int)v] > 0)).ToList();
        foreach (var v in verdicts) sb.Append(CultureInfo.InvariantCulture, $"<th>{E(v.Name())}</th>");
        sb.Append("</tr>\n");
        foreach (var r in rows.Append(none))
        {
            var name = r == none ? "no fault at all" : $"{r.Kind} at {r.Point}";
            var share = r.Runs == 0 ? 0 : (double)r.NotClean / r.Runs;
            sb.Append(CultureInfo.InvariantCulture, $"<tr class=\"fault-row\"><td>{E(name)}</td><td class=\"num\">{r.Runs}</td><td class=\"num\">{r.NotClean}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td><svg width=\"120\" height=\"12\"><rect width=\"120\" height=\"12\" fill=\"#eee\"/><rect width=\"{N(120 * share)}\" height=\"12\" fill=\"#c62828\"/></svg> {Percent(r.NotClean, r.Runs)}</td>");
            foreach (var v in verdicts) sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{r.Verdicts[(int)v]}</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n<p class=\"meta\">A run counts once under each kind of fault it had; a run with several kinds counts under each.</p>\n");
        return sb.ToString();
    }
}
