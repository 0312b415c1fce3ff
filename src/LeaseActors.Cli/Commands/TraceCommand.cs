using System.CommandLine;
using System.Text;
using LeaseActors.Cli.Pictures;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors trace [TOPOLOGY] [--policy P] [--seed N] [--chaos F] --format perfetto|html|mermaid -o F</c>: one run,
/// drawn — as Chrome trace-event JSON for ui.perfetto.dev, as a self-contained HTML timeline, or as a Mermaid
/// sequence diagram (docs/pictures.md).
/// </summary>
internal static class TraceCommand
{
    public static readonly string[] Formats = ["perfetto", "html", "mermaid"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topology = new Argument<string?>("topology") { Description = "A topology file (HOCON). Default: the built-in seed email scenario.", Arity = ArgumentArity.ZeroOrOne };
        var policy = CommonOptions.Policy();
        var seed = CommonOptions.Seed();
        var chaos = CommonOptions.Chaos();
        var format = new Option<string>("--format") { Description = "perfetto (Chrome trace-event JSON), html (a self-contained timeline page) or mermaid (a sequenceDiagram).", Required = true };
        format.AcceptOnlyFromAmong(Formats);
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var command = new Command("trace", "Run one topology and draw it: a Perfetto trace, an HTML timeline or a Mermaid sequence diagram.")
        {
            topology, policy, seed, chaos, format, output,
        };
        command.SetAction(parse => Execute(parse.GetValue(topology), parse.GetValue(policy), parse.GetValue(seed), parse.GetValue(chaos),
            parse.GetValue(format)!, parse.GetValue(output), stdout, stderr));
        return command;
    }

    /// <summary>The picture of <paramref name="report"/> in <paramref name="format"/>.</summary>
    public static string Render(RunReport report, string format, string description = "") => format switch
    {
        "perfetto" => PerfettoTrace.Render(RunPicture.Of(report)),
        "html" => HtmlTimeline.Page(RunPicture.Of(report), description),
        "mermaid" => MermaidSequence.Render(report),
        _ => throw new ArgumentException($"unknown format '{format}' (formats: {string.Join(", ", Formats)})", nameof(format)),
    };

    private static int Execute(string? path, string? policy, ulong seed, string? chaos, string format, FileInfo? output, TextWriter stdout, TextWriter stderr)
    {
        if (RunInputs.Load(path, policy, chaos, stderr) is not { } inputs) return ExitCodes.BadInput;

        RunReport report;
        using (var host = new EmulatorHost())
            report = TopologyRunner.Run(host.Driver, inputs.Topology, inputs.Policy, seed, inputs.Settings());

        var text = Render(report, format, inputs.Topology.Description);
        if (output is null)
        {
            stdout.Write(text);
            return ExitCodes.Success;
        }
        try
        {
            File.WriteAllText(output.FullName, text, new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"leaseactors: cannot write {output.FullName}: {ex.Message}");
            return ExitCodes.BadInput;
        }
        stderr.WriteLine($"trace: {report.Topology} under {report.Policy}, seed {report.Seed}: verdict {report.Verdict.Name()}; wrote {format} to {output.FullName}");
        return ExitCodes.Success;
    }
}
