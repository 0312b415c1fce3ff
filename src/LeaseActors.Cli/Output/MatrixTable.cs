using System.Globalization;
using System.Text;
using LeaseActors.Judging;

namespace LeaseActors.Cli.Output;

/// <summary>
/// Writes the cells of <c>leaseactors matrix</c> as a table a person reads — rows are topologies, columns policies,
/// each cell the verdict, the worst slack in ms and whether the cell's expectation was met — either as plain text
/// (with the differences of every failed expectation and the cells not judged below it) or as Markdown for the docs.
/// </summary>
/// <remarks>
/// Rows and columns come in the order the cells do (row-major, as <see cref="Commands.MatrixRunner"/> returns them).
/// Both renderings are a pure function of the cells: no clock, no machine-specific paths, and lines end in <c>\n</c> on
/// every platform, so the same matrix gives the same bytes (docs/policies.md is generated and compared by a test).
/// </remarks>
internal static class MatrixTable
{
    /// <summary>The mark of a cell whose applicable expectation was met.</summary>
    public const string MetMark = "✓";

    /// <summary>The mark of a cell whose applicable expectation was not met.</summary>
    public const string NotMetMark = "✗";

    private const string SlackLegend = "each cell: the verdict and the worst slack of its breaks in ms (deadline minus the later of release and teardown; negative: past the deadline)";

    private const string MarkLegend = MetMark + " expectation met, " + NotMetMark + " expectation not met, no mark: no expectation for that policy (reported, not judged)";

    /// <summary>The text of one cell: <c>late -45000 ✓</c>, <c>clean 44980 ✗</c>, <c>refused</c>.</summary>
    public static string CellText(MatrixCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var text = cell.Verdict.Name();
        if (cell.SlackMs is { } slack) text += " " + Ms(slack);
        if (cell.Expectation.Applicable) text += " " + (cell.Failed ? NotMetMark : MetMark);
        return text;
    }

    /// <summary>The plain-text table, its legend, the differences of failed expectations and the cells not judged.</summary>
    public static string Text(IReadOnlyList<MatrixCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var (rows, policies, grid) = Layout(cells);
        var sb = new StringBuilder();
        var seeds = cells.Select(c => c.Seed).Distinct().ToList();
        sb.Append(CultureInfo.InvariantCulture, $"matrix: {Count(rows.Count, "topology", "topologies")} × {Count(policies.Count, "policy", "policies")}, seed {string.Join(", ", seeds)}\n\n");

        var widths = ColumnWidths(rows, policies, grid);
        AppendRow(sb, widths, ["topology", .. policies], "  ");
        AppendRow(sb, widths, [.. widths.Select(w => new string('-', w))], "  ");
        for (var r = 0; r < rows.Count; r++) AppendRow(sb, widths, [rows[r], .. grid[r].Select(CellText)], "  ");
        sb.Append('\n').Append(SlackLegend).Append('\n').Append(MarkLegend).Append('\n');

        var failed = cells.Where(c => c.Failed).ToList();
        if (failed.Count > 0)
        {
            sb.Append("\nexpectations not met:\n");
            foreach (var c in failed)
            {
                if (c.Expectation.Differences.IsEmpty) sb.Append(CultureInfo.InvariantCulture, $"  {c.Topology} × {c.Policy}: not met\n");
                foreach (var d in c.Expectation.Differences) sb.Append(CultureInfo.InvariantCulture, $"  {c.Topology} × {c.Policy}: {d}\n");
            }
        }
        var notJudged = cells.Where(c => !c.Expectation.Applicable).GroupBy(c => c.Topology).ToList();
        if (notJudged.Count > 0)
        {
            sb.Append("\nnot judged (no expectation for the policy; reported above):\n");
            foreach (var g in notJudged) sb.Append(CultureInfo.InvariantCulture, $"  {g.Key} × {string.Join(", ", g.Select(c => c.Policy))}\n");
        }
        var met = cells.Count(c => c.Expectation.Applicable && !c.Failed);
        sb.Append(CultureInfo.InvariantCulture, $"\nexpectations: {met} met, {failed.Count} not met, {cells.Count(c => !c.Expectation.Applicable)} not judged\n");
        return sb.ToString();
    }

    /// <summary>
    /// The table as GitHub-flavoured Markdown, columns padded so the source reads as a table too, followed by the
    /// legend and, when some expectation was not met, a list of the differences.
    /// </summary>
    public static string Markdown(IReadOnlyList<MatrixCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var (rows, policies, grid) = Layout(cells);
        var escapedRows = rows.Select(EscapeMarkdown).ToList();
        var escapedGrid = grid.Select(r => r.Select(c => EscapeMarkdown(CellText(c))).ToList()).ToList();
        var header = new List<string> { "topology" };
        header.AddRange(policies.Select(EscapeMarkdown));
        var widths = header.Select(h => h.Length).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            widths[0] = Math.Max(widths[0], escapedRows[r].Length);
            for (var p = 0; p < policies.Count; p++) widths[p + 1] = Math.Max(widths[p + 1], escapedGrid[r][p].Length);
        }
        widths = [.. widths.Select(w => Math.Max(w, 3))];

        var sb = new StringBuilder();
        AppendMarkdownRow(sb, widths, header);
        AppendMarkdownRow(sb, widths, [.. widths.Select(w => new string('-', w))]);
        for (var r = 0; r < rows.Count; r++) AppendMarkdownRow(sb, widths, [escapedRows[r], .. escapedGrid[r]]);
        var seeds = string.Join(", ", cells.Select(c => c.Seed).Distinct());
        sb.Append('\n').Append(EscapeMarkdown(Capitalize(SlackLegend))).Append(". ").Append(EscapeMarkdown(Capitalize(MarkLegend)))
          .Append(CultureInfo.InvariantCulture, $". Seed {seeds}.\n");
        var failed = cells.Where(c => c.Failed).ToList();
        if (failed.Count > 0)
        {
            sb.Append("\nExpectations not met:\n\n");
            foreach (var c in failed)
            {
                if (c.Expectation.Differences.IsEmpty) sb.Append(CultureInfo.InvariantCulture, $"- {EscapeMarkdown(c.Topology)} × {EscapeMarkdown(c.Policy)}: not met\n");
                foreach (var d in c.Expectation.Differences)
                    sb.Append(CultureInfo.InvariantCulture, $"- {EscapeMarkdown(c.Topology)} × {EscapeMarkdown(c.Policy)}: {EscapeMarkdown(d)}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Milliseconds as results print them: invariant culture, at most three decimals, no negative zero.</summary>
    public static string Ms(double ms) => (ms == 0 ? 0 : ms).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Escapes the characters Markdown would read as table separators, emphasis, code, links or HTML.</summary>
    public static string EscapeMarkdown(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (ch is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#') sb.Append('\\');
            sb.Append(char.IsControl(ch) ? ' ' : ch);
        }
        return sb.ToString();
    }

    private static (List<string> Rows, List<string> Policies, List<List<MatrixCell>> Grid) Layout(IReadOnlyList<MatrixCell> cells)
    {
        var rows = cells.Select(c => c.Topology).Distinct(StringComparer.Ordinal).ToList();
        var policies = cells.Select(c => c.Policy).Distinct(StringComparer.Ordinal).ToList();
        var byKey = new Dictionary<(string, string), MatrixCell>();
        foreach (var c in cells)
            if (!byKey.TryAdd((c.Topology, c.Policy), c))
                throw new ArgumentException($"two cells for {c.Topology} × {c.Policy}", nameof(cells));
        var grid = rows.Select(r => policies.Select(p => byKey.TryGetValue((r, p), out var c)
            ? c
            : throw new ArgumentException($"no cell for {r} × {p}", nameof(cells))).ToList()).ToList();
        return (rows, policies, grid);
    }

    private static int[] ColumnWidths(List<string> rows, List<string> policies, List<List<MatrixCell>> grid)
    {
        var widths = new int[policies.Count + 1];
        widths[0] = Math.Max("topology".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Length));
        for (var p = 0; p < policies.Count; p++)
            widths[p + 1] = Math.Max(policies[p].Length, grid.Count == 0 ? 0 : grid.Max(r => CellText(r[p]).Length));
        return widths;
    }

    private static void AppendRow(StringBuilder sb, int[] widths, List<string> values, string gap)
    {
        var line = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) line.Append(gap);
            line.Append(values[i].PadRight(widths[i]));
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static void AppendMarkdownRow(StringBuilder sb, int[] widths, List<string> values)
    {
        sb.Append('|');
        for (var i = 0; i < values.Count; i++) sb.Append(' ').Append(values[i].PadRight(widths[i])).Append(" |");
        sb.Append('\n');
    }

    private static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
