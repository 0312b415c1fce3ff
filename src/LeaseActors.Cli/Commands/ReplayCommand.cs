using System.CommandLine;
using LeaseActors.Chaos;
using LeaseActors.Cli.Output;
using LeaseActors.Judging;
using LeaseActors.Simulation.Strategies;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors replay [TOPOLOGY] [--seed S] [--policy P] [--chaos F] [--schedule F] [--json] [--trace-out F]
/// [--schedule-out F]</c>: reproduces one run exactly, printed as <c>run</c> prints it.
/// </summary>
/// <remarks>
/// <para>With <c>--seed</c>, the run is the one a campaign made for that seed: the seed's random schedule and the
/// chaos plan (<c>--chaos</c>, else the topology's own) sampled from the seed — the same as <c>run --seed</c>.</para>
/// <para>With <c>--schedule F</c> (a file from <c>--schedule-out</c> or <c>explore</c>), the run follows the file's
/// choices (<see cref="ReplayStrategy"/>) and injects exactly its faults (<see cref="FaultScript"/>) with its policy and
/// seed, and must give the trace hash the file recorded. A run that departs from the file (an edited file, another
/// topology or engine version) is reported as diverged, with where: exit 1.</para>
/// </remarks>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var topology = new Argument<string?>("topology") { Description = "The topology file (HOCON) of the run. Default: the built-in seed email scenario.", Arity = ArgumentArity.ZeroOrOne };
        var policy = CommonOptions.Policy();
        var seed = new Option<ulong?>("--seed") { Description = "The seed of the run to reproduce (default 0; with --schedule, the file's)." };
        var chaos = CommonOptions.Chaos();
        var schedule = new Option<FileInfo?>("--schedule") { Description = "Replay the choices and faults saved by --schedule-out or explore." };
        var json = CommonOptions.Json();
        var traceOut = CommonOptions.TraceOut();
        var scheduleOut = CommonOptions.ScheduleOut();
        var command = new Command("replay", "Reproduce one run exactly: from its seed, or from a saved schedule.")
        {
            topology, policy, seed, chaos, schedule, json, traceOut, scheduleOut,
        };
        command.SetAction(parse => Execute(parse.GetValue(topology), parse.GetValue(policy), parse.GetValue(seed), parse.GetValue(chaos),
            parse.GetValue(schedule), new RunOutput(parse.GetValue(json), parse.GetValue(traceOut), parse.GetValue(scheduleOut)), stdout, stderr));
        return command;
    }

    private static int Execute(string? path, string? policy, ulong? seed, string? chaos, FileInfo? schedulePath, RunOutput output,
        TextWriter stdout, TextWriter stderr)
    {
        if (RunInputs.Load(path, policy, chaos, stderr) is not { } inputs) return ExitCodes.BadInput;
        if (schedulePath is null)
        {
            RunReport seeded;
            using (var host = new EmulatorHost())
                seeded = TopologyRunner.Run(host.Driver, inputs.Topology, inputs.Policy, seed ?? 0, inputs.Settings());
            return output.Write(seeded, inputs.Topology, stdout, stderr);
        }

        ScheduleFile schedule;
        try
        {
            schedule = ScheduleFile.Load(schedulePath.FullName);
        }
        catch (ScheduleFileException ex)
        {
            return BadInput(stderr, ex.Message);
        }
        var source = schedulePath.FullName;
        if (schedule.Topology != inputs.Topology.Name)
            return BadInput(stderr, $"{source}: the schedule was recorded for topology {schedule.Topology}, not {inputs.Topology.Name}");
        if (policy is not null && Policies.Require(policy) != schedule.Policy)
            return BadInput(stderr, $"{source}: the schedule was recorded under policy {schedule.Policy}, not {policy} (leave out --policy)");
        if (seed is { } s && s != schedule.Seed)
            return BadInput(stderr, $"{source}: the schedule was recorded with seed {schedule.Seed}, not {s} (leave out --seed)");
        try
        {
            Policies.Require(schedule.Policy);
        }
        catch (ArgumentException ex)
        {
            return BadInput(stderr, $"{source}: {ex.Message}");
        }

        var replay = new ReplayStrategy(schedule.Choices);
        var settings = inputs.Settings(new TopologyRunSettings { Strategy = replay, Script = new FaultScript(schedule.Faults) });
        RunReport report;
        try
        {
            using var host = new EmulatorHost();
            report = TopologyRunner.Run(host.Driver, inputs.Topology, schedule.Policy, schedule.Seed, settings);
        }
        catch (ReplayDivergedException ex)
        {
            return Diverged(stderr, source, ex.Message);
        }
        if (replay.Used < schedule.Choices.Length)
            return Diverged(stderr, source, $"Replay diverged: the run ended after {replay.Used} choices but the schedule has {schedule.Choices.Length}");
        if (report.TraceSha256 != schedule.TraceSha256)
            return Diverged(stderr, source, $"Replay diverged: the trace hash is {report.TraceSha256}, the schedule recorded {schedule.TraceSha256}");
        return output.Write(report, inputs.Topology, stdout, stderr);
    }

    private static int Diverged(TextWriter stderr, string source, string message)
    {
        stderr.WriteLine($"leaseactors: {source}: {message}");
        return ExitCodes.ExpectationNotMet;
    }

    private static int BadInput(TextWriter stderr, string message)
    {
        stderr.WriteLine("leaseactors: " + message);
        return ExitCodes.BadInput;
    }
}
