using System.Globalization;
using System.Text;
using System.Text.Json;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace StorageServer;

/// <summary>The verdict report: a table of the policies, then a block per policy; or the same as one JSON object.</summary>
internal static class StorageReport
{
    /// <summary>Writes the text report.</summary>
    public static void Text(TextWriter output, StorageServerOptions options, Topology topology, IReadOnlyList<PolicySummary> summaries, TimeSpan elapsed)
    {
        output.WriteLine($"Storage server: {topology.Description}");
        output.WriteLine($"{(options.RealTime ? "real time (50x)" : "simulation")}, seeds 0-{options.Seeds - 1} per policy, client handlers {Durations.Format(options.HandlerTime)}, "
            + $"interval {Durations.Format(options.Interval)}, lease-break-time {Durations.Format(options.LeaseBreakTime)}"
            + (options.ClientLeases ? ", clients take their own layout leases" : "")
            + $"; {summaries.Sum(s => s.Runs)} runs in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        output.WriteLine();

        var width = Math.Max(6, summaries.Max(s => s.Policy.Length));
        var verdictWidth = Math.Max(8, summaries.Max(s => s.VerdictText().Length));
        output.WriteLine($"{"policy".PadRight(width)}  {"verdicts".PadRight(verdictWidth)}  {"worst slack",11}  kernel signalled");
        output.WriteLine($"{new string('-', width)}  {new string('-', verdictWidth)}  {new string('-', 11)}  {new string('-', 16)}");
        foreach (var s in summaries)
            output.WriteLine($"{s.Policy.PadRight(width)}  {s.VerdictText().PadRight(verdictWidth)}  {Slack(s),11}  {PolicySummary.Processes(s.Notified)}");

        foreach (var s in summaries)
        {
            output.WriteLine();
            output.WriteLine($"{s.Policy}: {s.Worst.Name()} (worst of {s.Runs} runs{(s.WorstSeeds.Count < s.Runs ? ", seeds " + string.Join(",", s.WorstSeeds) : "")})");
            output.WriteLine($"  judged     {s.JudgedText()}");
            foreach (var example in s.Examples) output.WriteLine($"             e.g. {example}");
            output.WriteLine($"  signalled  by the kernel: {PolicySummary.Processes(s.Notified)}");
            output.WriteLine($"  torn down  {s.TornDownText()}");
            output.WriteLine($"  truncates  {s.TruncateText()}");
            if (s.DmaWritesIntoFreedBlocks > 0) output.WriteLine($"  corrupted  {s.DmaWritesIntoFreedBlocks} DMA writes into freed blocks");
            if (s.Findings.Count > 0) output.WriteLine($"  findings   {string.Join(", ", s.Findings.Select(f => $"{f.Key} ×{f.Value}"))}");
            output.WriteLine($"  meaning    {Debate.Meaning(s.Policy, s.Worst)}");
        }
        output.WriteLine();
        output.WriteLine("Verdicts (most severe first): corruption > hang > violation > killed > late > refused > clean; a run's verdict is its most severe,");
        output.WriteLine("`judged` counts every condition in every run. Slack: deadline minus the later of lease release and region teardown, or minus a truncate's return");
        output.WriteLine("(ms; negative: late; never: a truncate never returned).");
    }

    /// <summary>
    /// The worst slack, or <c>never</c> when a truncate never returned: a simulated run that ends in quiescence stops the
    /// clock at the last event, before the deadline of a truncate that waits forever, so its number would read as early.
    /// </summary>
    private static string Slack(PolicySummary s) =>
        s.Truncates.ContainsKey("still blocked") ? "never" : s.WorstSlackMs is { } ms ? ms.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    /// <summary>The report as one JSON object: the options, then one object per policy.</summary>
    public static string Json(StorageServerOptions options, Topology topology, IReadOnlyList<PolicySummary> summaries)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("scenario", topology.Name);
            w.WriteString("description", topology.Description);
            w.WriteString("mode", options.RealTime ? "real-time" : "simulation");
            w.WriteNumber("clients", options.Clients);
            w.WriteNumber("truncates", options.Truncates);
            w.WriteNumber("intervalMs", options.Interval.TotalMilliseconds);
            w.WriteNumber("handlerTimeMs", options.HandlerTime.TotalMilliseconds);
            w.WriteNumber("leaseBreakTimeMs", options.LeaseBreakTime.TotalMilliseconds);
            w.WriteBoolean("clientLeases", options.ClientLeases);
            w.WriteString("layoutChange", options.PunchHole ? "punch-hole" : "truncate");
            w.WriteNumber("seeds", options.Seeds);
            w.WriteStartArray("policies");
            foreach (var s in summaries)
            {
                w.WriteStartObject();
                w.WriteString("policy", s.Policy);
                w.WriteNumber("runs", s.Runs);
                w.WriteString("worst", s.Worst.Name());
                w.WriteStartObject("verdicts");
                foreach (var (verdict, count) in s.Verdicts.OrderByDescending(v => v.Key)) w.WriteNumber(verdict.Name(), count);
                w.WriteEndObject();
                if (s.WorstSlackMs is { } slack) w.WriteNumber("worstSlackMs", slack); else w.WriteNull("worstSlackMs");
                w.WriteStartObject("judged");
                foreach (var (condition, count) in s.Judged) w.WriteNumber(condition, count);
                w.WriteEndObject();
                w.WriteStartArray("notified");
                foreach (var p in s.Notified) w.WriteStringValue(p);
                w.WriteEndArray();
                w.WriteStartObject("tornDownBy");
                foreach (var (by, count) in s.TornDownBy) w.WriteNumber(by, count);
                w.WriteEndObject();
                w.WriteNumber("regionsRegistered", s.RegionsRegistered);
                w.WriteStartObject("truncates");
                foreach (var (outcome, count) in s.Truncates) w.WriteNumber(outcome, count);
                w.WriteEndObject();
                w.WriteNumber("longestTruncateMs", s.LongestTruncateMs);
                w.WriteNumber("dmaWritesIntoFreedBlocks", s.DmaWritesIntoFreedBlocks);
                w.WriteStartObject("findings");
                foreach (var (id, count) in s.Findings) w.WriteNumber(id, count);
                w.WriteEndObject();
                w.WriteStartArray("examples");
                foreach (var e in s.Examples) w.WriteStringValue(e);
                w.WriteEndArray();
                w.WriteStartArray("worstSeeds");
                foreach (var seed in s.WorstSeeds) w.WriteNumberValue(seed);
                w.WriteEndArray();
                w.WriteString("meaning", Debate.Meaning(s.Policy, s.Worst));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
