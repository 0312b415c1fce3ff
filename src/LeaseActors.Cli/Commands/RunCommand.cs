using System.CommandLine;
using System.Text.Json;
using LeaseActors.Cli.Output;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary><c>leaseactors run [TOPOLOGY] [--policy P] [--seed N] [--json] [--trace-out F]</c>: one run, judged.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topology = new Argument<string?>("topology") { Description = "A topology file (HOCON). Default: the built-in seed email scenario.", Arity = ArgumentArity.ZeroOrOne };
        var policy = CommonOptions.Policy();
        var seed = CommonOptions.Seed();
        var json = new Option<bool>("--json") { Description = "Print only the run-result JSON object on standard output." };
        var traceOut = new Option<FileInfo?>("--trace-out") { Description = "Write the canonical trace (JSON Lines, the bytes the hash is computed over) to this file." };
        var command = new Command("run", "Run one topology and print its timeline and verdict.") { topology, policy, seed, json, traceOut };
        command.SetAction(parse => Execute(parse.GetValue(topology), parse.GetValue(policy), parse.GetValue(seed), parse.GetValue(json), parse.GetValue(traceOut), stdout, stderr));
        return command;
    }

    private static int Execute(string? path, string? policy, ulong seed, bool json, FileInfo? traceOut, TextWriter stdout, TextWriter stderr)
    {
        Topology loaded;
        try
        {
            loaded = TopologyLoader.Load(path);
            Policies.Require(policy ?? loaded.Policy ?? Policies.Mainline);
        }
        catch (Exception ex) when (ex is TopologyException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("leaseactors: " + ex.Message);
            return ExitCodes.BadInput;
        }

        RunReport report;
        using (var host = new EmulatorHost())
            report = TopologyRunner.Run(host.Driver, loaded, policy, seed);

        if (traceOut is not null)
        {
            try
            {
                File.WriteAllBytes(traceOut.FullName, report.Trace.ToCanonicalBytes());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"leaseactors: cannot write the trace to {traceOut.FullName}: {ex.Message}");
                return ExitCodes.BadInput;
            }
        }

        if (json)
        {
            stdout.WriteLine(RunReportJson.ToJson(report));
        }
        else
        {
            Timeline.Write(stdout, report, loaded.Description);
        }
        return report.Expectation.Met == false ? ExitCodes.ExpectationNotMet : ExitCodes.Success;
    }
}

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> Policy() => new("--policy") { Description = "The kernel policy (default: the topology's, else mainline): " + string.Join(", ", Policies.Known) };

    public static Option<ulong> Seed() => new("--seed") { Description = "The run's seed (default 0).", DefaultValueFactory = _ => 0UL };
}

/// <summary>An actor system and one simulation driver for the duration of a command; logging off so standard output stays clean.</summary>
internal sealed class EmulatorHost : IDisposable
{
    private static readonly Akka.Configuration.Config Quiet = Akka.Configuration.ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-config-on-start = off
        akka.log-dead-letters = off
        """);

    public EmulatorHost()
    {
        System = SimulationSetup.CreateSystem("leaseactors", Quiet);
        Driver = new SimulationDriver(System);
    }

    public Akka.Actor.ActorSystem System { get; }

    public SimulationDriver Driver { get; }

    public void Dispose()
    {
        Driver.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Loads a topology from a file, or the built-in default.</summary>
internal static class TopologyLoader
{
    public static Topology Load(string? path) => path is null ? BuiltIn.SeedEmail : TopologyParser.ParseFile(path);
}
