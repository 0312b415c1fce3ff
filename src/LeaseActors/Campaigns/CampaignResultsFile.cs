using System.Collections;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using LeaseActors.Judging;

namespace LeaseActors.Campaigns;

/// <summary>
/// A campaign's results file: JSON Lines, one run-result object per finished run (with <c>run</c>, <c>seed</c>,
/// <c>faults</c> and <c>wallMs</c>), appended and flushed as each run finishes, so a killed campaign loses at most the
/// line it was writing. Summaries never go into it. <see cref="Resume"/> reads one back.
/// </summary>
public static class CampaignResultsFile
{
    /// <summary>The runs already in a results file: which indices are done, and their summary.</summary>
    public sealed record Resumed(BitArray Done, long Count, CampaignSummary Summary);

    /// <summary>
    /// Reads <paramref name="path"/> for a campaign with <paramref name="options"/>: drops a truncated last line (the
    /// file is cut back to its last complete line, so that run is done again), checks that every line belongs to this
    /// campaign (same topology and policy, and run i's seed is the campaign's seed for i), and counts every run.
    /// </summary>
    /// <exception cref="InvalidDataException">A complete line is not a run of this campaign; the message names the line.</exception>
    public static Resumed Resume(string path, CampaignOptions options, string policy, CampaignSummary summary)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(summary);
        var done = new BitArray((int)Math.Min(options.Runs, int.MaxValue));
        if (!File.Exists(path)) return new Resumed(done, 0, summary);
        TruncateToLastCompleteLine(path);
        long count = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            CampaignResult result;
            try
            {
                result = Read(line, options, policy);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: {ex.Message}", ex);
            }
            if (done[(int)result.Run]) continue;
            done[(int)result.Run] = true;
            count++;
            summary.Add(result);
        }
        return new Resumed(done, count, summary);
    }

    /// <summary>
    /// Reads one results line of a campaign with <paramref name="options"/> under <paramref name="policy"/>, checking that
    /// it belongs to it (same topology and policy, a run index inside the campaign, and that run's seed). The result's
    /// <see cref="CampaignResult.Line"/> is <paramref name="line"/> itself.
    /// </summary>
    /// <exception cref="InvalidDataException">The line is not a run of this campaign; the message says why (without a file or line number).</exception>
    public static CampaignResult Read(string line, CampaignOptions options, string policy)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var run = root.GetProperty("run").GetInt64();
            var seed = root.GetProperty("seed").GetUInt64();
            if (root.GetProperty("topology").GetString() != options.Topology.Name || root.GetProperty("policy").GetString() != policy)
                throw new InvalidDataException($"run {run} is of topology {root.GetProperty("topology").GetString()} under {root.GetProperty("policy").GetString()}, not {options.Topology.Name} under {policy}");
            if (run < 0 || run >= options.Runs)
                throw new InvalidDataException($"run {run} is outside this campaign's {options.Runs} runs");
            if (seed != options.SeedOf(run))
                throw new InvalidDataException($"run {run} has seed {seed}, but this campaign (--seed {options.Seed}) gives it {options.SeedOf(run)}");
            var verdict = VerdictNames.Parse(root.GetProperty("verdict").GetString() ?? "")
                          ?? throw new InvalidDataException("unknown verdict");
            var faults = root.TryGetProperty("faults", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Select(x => (x.GetProperty("kind").GetString() ?? "", x.GetProperty("point").GetString() ?? "")).ToImmutableArray()
                : [];
            var slack = root.TryGetProperty("worstSlackMs", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : (double?)null;
            return new CampaignResult(run, seed, verdict, slack, faults, line);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"not a run result of a campaign ({ex.Message})", ex);
        }
    }

    /// <summary>Cuts a file that does not end with a new line back to its last complete line.</summary>
    private static void TruncateToLastCompleteLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        if (file.Length == 0) return;
        var position = file.Length;
        var buffer = new byte[1];
        while (position > 0)
        {
            file.Position = position - 1;
            file.ReadExactly(buffer);
            if (buffer[0] == (byte)'\n') break;
            position--;
        }
        if (position != file.Length) file.SetLength(position);
    }

    /// <summary>One results line: the run-result object of <paramref name="run"/> with <c>run</c>, <c>worstSlackMs</c> and <c>wallMs</c>.</summary>
    public static string Line(CampaignRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            RunReportJson.Write(writer, run.Report, w =>
            {
                w.WriteNumber("run", run.Index);
                if (run.Report.WorstSlackMs is { } s) w.WriteNumber("worstSlackMs", s); else w.WriteNull("worstSlackMs");
                w.WriteNumber("wallMs", Math.Round(run.WallMs, 3));
            });
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
