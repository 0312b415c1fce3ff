using System.Text;
using System.Text.Json;
using LeaseActors.Judging;

namespace LeaseActors.Cli.Output;

/// <summary>
/// Writes the cells of <c>leaseactors matrix --json</c>: one JSON array, one object per cell (one per line), with the
/// camelCase names of the run-result object of DESIGN.md §5 where they mean the same thing.
/// </summary>
/// <remarks>
/// A cell object is a summary, not a run result: <c>slackMs</c> is the worst slack over the run's breaks and
/// <c>breaks</c> their count. <c>leaseactors run --json</c> (or <c>replay</c>) with the cell's topology, policy and seed
/// gives the whole run, whose <c>traceSha256</c> is the cell's.
/// </remarks>
internal static class MatrixJson
{
    /// <summary>The cells as a JSON array, one object per line, in the order given.</summary>
    public static string ToJson(IReadOnlyList<MatrixCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var sb = new StringBuilder("[");
        for (var i = 0; i < cells.Count; i++) sb.Append(i == 0 ? "\n" : ",\n").Append(CellJson(cells[i]));
        sb.Append(cells.Count == 0 ? "]" : "\n]");
        return sb.ToString();
    }

    /// <summary>One cell as a one-line JSON object.</summary>
    public static string CellJson(MatrixCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("topology", cell.Topology);
            w.WriteString("file", cell.File);
            w.WriteString("policy", cell.Policy);
            w.WriteNumber("seed", cell.Seed);
            w.WriteString("verdict", cell.Verdict.Name());
            if (cell.SlackMs is { } slack) w.WriteNumber("slackMs", slack); else w.WriteNull("slackMs");
            w.WriteNumber("breaks", cell.Breaks);
            w.WriteString("endedBy", cell.EndedBy);
            w.WriteString("traceSha256", cell.TraceSha256);
            w.WriteStartObject("expectation");
            w.WriteBoolean("applicable", cell.Expectation.Applicable);
            if (cell.Expectation.Met is { } met) w.WriteBoolean("met", met); else w.WriteNull("met");
            w.WriteStartArray("differences");
            foreach (var d in cell.Expectation.Differences) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
