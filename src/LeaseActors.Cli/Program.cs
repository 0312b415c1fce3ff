using System.CommandLine;
using LeaseActors.Campaigns;
using LeaseActors.Cli.Commands;

namespace LeaseActors.Cli;

/// <summary>
/// The <c>leaseactors</c> command: a thin shell over the library. Parses the command line, runs the command,
/// and maps failures to the exit codes of DESIGN.md §6 (2 for bad input or usage, 70 for a bug).
/// </summary>
internal static class Program
{
    /// <summary>The commands that run many simulations, which start the program again with the campaign GC budget.</summary>
    internal static readonly string[] CampaignCommands = ["chaos", "explore", "worker"];

    private static int Main(string[] args)
    {
        // A campaign spends a sixth of its time in GC pauses with the runtime's own gen-0 budget on 2 cores; the budget
        // can only be set before the runtime starts (CampaignProcess). --help, and a command name alone, need no relaunch.
        if (args.Length > 1 && CampaignCommands.Contains(args[0]) && !args.Any(a => a is "-h" or "--help" or "-?")
            && CampaignProcess.RelaunchWithCampaignBudget(args) is { } exit)
            return exit;
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Runs the command line with the given output streams (tests call this directly).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("LeaseActors: run Linux file-lease topologies on a deterministic actor emulator and judge them.")
        {
            RunCommand.Create(stdout, stderr),
            ChaosCommand.Create(stdout, stderr),
            MatrixCommand.Create(stdout, stderr),
            ReplayCommand.Create(stdout, stderr),
            ExploreCommand.Create(stdout, stderr),
            TraceCommand.Create(stdout, stderr),
            ConformCommand.Create(stdout, stderr),
            WorkerCommand.Create(stderr),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine("leaseactors: " + error.Message);
            stderr.WriteLine("Try 'leaseactors --help'.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"leaseactors: internal error (a bug; please report it): {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine(ex.StackTrace);
            return ExitCodes.InternalError;
        }
    }
}
