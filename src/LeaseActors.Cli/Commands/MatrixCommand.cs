using System.CommandLine;
using LeaseActors.Cli.Output;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors matrix [TOPOLOGY…] [--policies a,b] [--seed N] [--json | --markdown] [--parallel K]</c>: every
/// topology under every policy, one run per cell, judged against the expectation keyed by the cell's policy
/// (DESIGN.md §5); a table of verdicts with the worst slack, or a JSON array with one object per cell.
/// </summary>
/// <remarks>
/// With no topology, the matrix has one row, the built-in seed email scenario — as <c>leaseactors run</c> with no
/// topology. Without <c>--policies</c>, the columns are every implemented policy in the order of DESIGN.md §3
/// (<see cref="Policies.Known"/>); with it, the policies named, in the order named. Exit 0 when every applicable
/// expectation is met (cells with none are reported, not judged), 1 otherwise, 2 for bad input.
/// </remarks>
internal static class MatrixCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topologies = new Argument<string[]>("topology")
        {
            Description = "Topology files (HOCON). Default: the built-in seed email scenario.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var policies = new Option<string?>("--policies", "--policy")
        {
            Description = "Comma-separated policies, one column each, in this order (default: every implemented one of " + string.Join(", ", Policies.Known) + ").",
        };
        var seed = CommonOptions.Seed();
        var json = new Option<bool>("--json") { Description = "Print only a JSON array on standard output, one object per cell." };
        var markdown = new Option<bool>("--markdown") { Description = "Print the table as Markdown (deterministic: the same matrix gives the same bytes)." };
        var parallel = new Option<int>("--parallel")
        {
            Description = "How many cells run at once, each worker with its own emulator (default: the number of cores). The results do not depend on it.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("matrix", "Run every topology under every policy and print a table of verdicts with the worst slack.")
        {
            topologies, policies, seed, json, markdown, parallel,
        };
        command.SetAction(parse => Execute(
            parse.GetValue(topologies) ?? [], parse.GetValue(policies), parse.GetValue(seed), parse.GetValue(json),
            parse.GetValue(markdown), parse.GetValue(parallel), stdout, stderr));
        return command;
    }

    private static int Execute(string[] paths, string? policyList, ulong seed, bool json, bool markdown, int parallel, TextWriter stdout, TextWriter stderr)
    {
        if (json && markdown) return BadInput(stderr, "--json and --markdown cannot be used together");
        if (parallel < 1) return BadInput(stderr, $"--parallel must be at least 1 (got {parallel})");

        IReadOnlyList<string> columns;
        try
        {
            columns = ParsePolicies(policyList, Policies.Require, Policies.Known, Policies.Implemented);
        }
        catch (ArgumentException ex)
        {
            return BadInput(stderr, "--policies: " + ex.Message);
        }

        var rows = LoadRows(paths, out var errors);
        if (errors.Count > 0)
        {
            foreach (var error in errors) stderr.WriteLine("leaseactors: " + error);
            return ExitCodes.BadInput;
        }

        var cells = MatrixRunner.Run(rows, columns, seed, parallel);
        if (json) stdout.WriteLine(MatrixJson.ToJson(cells));
        else stdout.Write(markdown ? MatrixTable.Markdown(cells) : MatrixTable.Text(cells));
        return cells.Any(c => c.Failed) ? ExitCodes.ExpectationNotMet : ExitCodes.Success;
    }

    /// <summary>
    /// The matrix's columns: with no <paramref name="list"/>, every implemented policy in the order of
    /// <paramref name="known"/>; otherwise the comma-separated policies of <paramref name="list"/> in the order given,
    /// each checked with <paramref name="require"/> (which throws an <see cref="ArgumentException"/> naming a bad one),
    /// repeats dropped.
    /// </summary>
    /// <exception cref="ArgumentException">An empty entry, or a policy <paramref name="require"/> refuses.</exception>
    internal static IReadOnlyList<string> ParsePolicies(string? list, Func<string, string> require, IReadOnlyList<string> known, IReadOnlyList<string> implemented)
    {
        ArgumentNullException.ThrowIfNull(require);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(implemented);
        if (list is null) return [.. known.Where(implemented.Contains), .. implemented.Where(p => !known.Contains(p))];
        var chosen = new List<string>();
        foreach (var entry in list.Split(','))
        {
            var name = entry.Trim();
            if (name.Length == 0) throw new ArgumentException($"empty policy name in '{list}' (expected a comma-separated list such as mainline,rfc-v1)");
            require(name);
            if (!chosen.Contains(name)) chosen.Add(name);
        }
        return chosen;
    }

    /// <summary>
    /// Parses the topology files (none: the built-in seed scenario), dropping a file given twice. Rows are labelled by
    /// topology name, or by file when two files share a name. Every file that cannot be used adds its one-line error.
    /// </summary>
    private static List<MatrixRow> LoadRows(string[] paths, out List<string> errors)
    {
        errors = [];
        var topologies = new List<Topology>();
        if (paths.Length == 0) topologies.Add(BuiltIn.Default);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            try
            {
                var topology = TopologyParser.ParseFile(path);
                if (seen.Add(Path.GetFullPath(path))) topologies.Add(topology);
            }
            catch (TopologyException ex)
            {
                errors.Add(ex.Message);
            }
        }
        var names = topologies.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return [.. topologies.Select(t => new MatrixRow(names.Contains(t.Name) ? t.Source : t.Name, t))];
    }

    private static int BadInput(TextWriter stderr, string message)
    {
        stderr.WriteLine("leaseactors: " + message);
        return ExitCodes.BadInput;
    }
}
