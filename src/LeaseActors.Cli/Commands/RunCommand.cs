using System.CommandLine;
using System.Text.Json;
using LeaseActors.Cli.Output;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors run [TOPOLOGY] [--policy P] [--seed N] [--chaos F] [--json] [--trace-out F] [--schedule-out F]</c>:
/// one run, judged.
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topology = new Argument<string?>("topology") { Description = "A topology file (HOCON). Default: the built-in seed email scenario.", Arity = ArgumentArity.ZeroOrOne };
        var policy = CommonOptions.Policy();
        var seed = CommonOptions.Seed();
        var chaos = CommonOptions.Chaos();
        var json = CommonOptions.Json();
        var traceOut = CommonOptions.TraceOut();
        var scheduleOut = CommonOptions.ScheduleOut();
        var command = new Command("run", "Run one topology and print its timeline and verdict.") { topology, policy, seed, chaos, json, traceOut, scheduleOut };
        command.SetAction(parse => Execute(parse.GetValue(topology), parse.GetValue(policy), parse.GetValue(seed), parse.GetValue(chaos),
            new RunOutput(parse.GetValue(json), parse.GetValue(traceOut), parse.GetValue(scheduleOut)), stdout, stderr));
        return command;
    }

    private static int Execute(string? path, string? policy, ulong seed, string? chaos, RunOutput output, TextWriter stdout, TextWriter stderr)
    {
        if (RunInputs.Load(path, policy, chaos, stderr) is not { } inputs) return ExitCodes.BadInput;

        RunReport report;
        using (var host = new EmulatorHost())
            report = TopologyRunner.Run(host.Driver, inputs.Topology, inputs.Policy, seed, inputs.Settings());

        return output.Write(report, inputs.Topology, stdout, stderr);
    }
}

/// <summary>
/// How <c>run</c> and <c>replay</c> show a run: the timeline or the run-result JSON on standard output, and the files
/// asked for (<c>--trace-out</c>, <c>--schedule-out</c>). The exit code is 0 when the expectation is met or none
/// applies, 1 when it is not met, 2 when a file cannot be written.
/// </summary>
internal sealed record RunOutput(bool Json, FileInfo? TraceOut, FileInfo? ScheduleOut)
{
    public int Write(RunReport report, Topology topology, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (TraceOut is not null) File.WriteAllBytes(TraceOut.FullName, report.Trace.ToCanonicalBytes());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"leaseactors: cannot write the trace to {TraceOut!.FullName}: {ex.Message}");
            return ExitCodes.BadInput;
        }
        try
        {
            if (ScheduleOut is not null) ScheduleFile.Of(report).Save(ScheduleOut.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"leaseactors: cannot write the schedule to {ScheduleOut!.FullName}: {ex.Message}");
            return ExitCodes.BadInput;
        }

        if (Json) stdout.WriteLine(RunReportJson.ToJson(report));
        else Timeline.Write(stdout, report, topology.Description);
        return report.Expectation.Met == false ? ExitCodes.ExpectationNotMet : ExitCodes.Success;
    }
}

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> Policy() => new("--policy") { Description = "The kernel policy (default: the topology's, else mainline): " + string.Join(", ", Policies.Known) };

    public static Option<ulong> Seed() => new("--seed") { Description = "The run's seed (default 0).", DefaultValueFactory = _ => 0UL };

    public static Option<string?> Chaos() => new("--chaos") { Description = "A chaos plan file (configs/chaos/*.conf) replacing the topology's own chaos block." };

    public static Option<bool> Json() => new("--json") { Description = "Print only the run-result JSON object on standard output." };

    public static Option<FileInfo?> TraceOut() => new("--trace-out") { Description = "Write the canonical trace (JSON Lines, the bytes the hash is computed over) to this file." };

    public static Option<FileInfo?> ScheduleOut() => new("--schedule-out")
    {
        Description = "Write the run's scheduling choices and injected faults, with its topology, policy and seed, to this JSON file (for replay --schedule).",
    };
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
