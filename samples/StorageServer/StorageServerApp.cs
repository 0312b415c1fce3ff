using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using LeaseActors.Judging;

namespace StorageServer;

/// <summary>
/// The sample's command line: parses the options with System.CommandLine, builds the topology, runs it under each
/// policy and prints the report. Exit codes as the <c>leaseactors</c> tool's: 0 done, 2 bad arguments, 70 a bug.
/// </summary>
internal static class StorageServerApp
{
    public const int Success = 0;
    public const int BadInput = 2;
    public const int InternalError = 70;

    /// <summary>Runs the sample with <paramref name="args"/>, writing the report to <paramref name="stdout"/> and progress and errors to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var defaults = new StorageServerOptions();
        var clients = new Option<int>("--clients") { Description = $"Client processes, each handed a verbs context by the server (default {defaults.Clients}).", DefaultValueFactory = _ => defaults.Clients };
        var truncates = new Option<int>("--truncates") { Description = $"Lease periods, each ended by one truncate of the file (default {defaults.Truncates}).", DefaultValueFactory = _ => defaults.Truncates };
        var interval = new Option<string>("--interval") { Description = $"Time between handing out a period's contexts and its truncate, e.g. 500ms, 2s (default {Durations.Format(defaults.Interval)}).", DefaultValueFactory = _ => Durations.Format(defaults.Interval) };
        var handlerTime = new Option<string>("--handler-time") { Description = $"How long a client's teardown handler takes, e.g. 10ms, 60s (default {Durations.Format(defaults.HandlerTime)}; the deadline is the lease-break-time).", DefaultValueFactory = _ => Durations.Format(defaults.HandlerTime) };
        var breakTime = new Option<string>("--lease-break-time") { Description = $"/proc/sys/fs/lease-break-time: each break's deadline (default {Durations.Format(defaults.LeaseBreakTime)}).", DefaultValueFactory = _ => Durations.Format(defaults.LeaseBreakTime) };
        var seeds = new Option<int>("--seeds") { Description = $"Seeds per policy, 0 … N-1: each a different interleaving (default {defaults.Seeds}).", DefaultValueFactory = _ => defaults.Seeds };
        var policy = new Option<string[]>("--policy") { Description = "A policy to run; repeat it or separate with commas (default: all eleven: " + string.Join(", ", Policies.Known) + ")." };
        var clientLeases = new Option<bool>("--client-leases") { Description = "Clients also take a layout lease of their own before each context arrives (what lease-per-holder asks)." };
        var punchHole = new Option<bool>("--punch-hole") { Description = "Punch a hole over the period's data instead of truncating the file to 0." };
        var realTime = new Option<bool>("--real-time") { Description = "Run in real time (Akka's scheduler, time scaled 50x) with RealTimeRunner instead of the deterministic simulation." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on standard output instead of the text report." };
        var root = new RootCommand("StorageServer: a storage server hands RDMA verbs contexts over an FS-DAX file to its clients by fd passing while a maintenance process truncates the file; run under each layout-lease policy of the 2019 debate and judged.")
        {
            clients, truncates, interval, handlerTime, breakTime, seeds, policy, clientLeases, punchHole, realTime, json,
        };

        root.SetAction(parse =>
        {
            StorageServerOptions options;
            try
            {
                options = new StorageServerOptions
                {
                    Clients = parse.GetValue(clients),
                    Truncates = parse.GetValue(truncates),
                    Interval = Durations.Parse("--interval", parse.GetValue(interval)!),
                    HandlerTime = Durations.Parse("--handler-time", parse.GetValue(handlerTime)!),
                    LeaseBreakTime = Durations.Parse("--lease-break-time", parse.GetValue(breakTime)!),
                    Seeds = parse.GetValue(seeds),
                    Policies = PoliciesOf(parse.GetValue(policy)),
                    ClientLeases = parse.GetValue(clientLeases),
                    PunchHole = parse.GetValue(punchHole),
                    RealTime = parse.GetValue(realTime),
                    Json = parse.GetValue(json),
                }.Validate();
            }
            catch (ArgumentException ex)
            {
                return Usage(stderr, [ex.Message]);
            }
            return Execute(options, stdout, stderr);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0) return Usage(stderr, parsed.Errors.Select(e => e.Message));
        try
        {
            // --help and --version are answered by System.CommandLine itself; everything else reaches the action above.
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
#pragma warning disable CA1031 // Any exception here is a bug in the sample or the runtime: report it as one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"storage-server: internal error (a bug; please report it): {ex.GetType().Name}: {ex.Message}");
            stderr.WriteLine(ex.StackTrace);
            return InternalError;
        }
    }

    /// <summary>Runs with valid <paramref name="options"/> and prints the report; the exit code is 0 whatever the verdicts (they are the findings).</summary>
    public static int Execute(StorageServerOptions options, TextWriter stdout, TextWriter stderr)
    {
        var topology = StorageScenario.Build(options);
        var clock = Stopwatch.StartNew();
        stderr.WriteLine($"storage-server: {options.Policies.Length} policies × {options.Seeds} seeds, {(options.RealTime ? "real time" : "simulation")}");
        var summaries = StorageRuns.Run(options, topology, stderr);
        clock.Stop();
        if (options.Json) stdout.WriteLine(StorageReport.Json(options, topology, summaries));
        else StorageReport.Text(stdout, options, topology, summaries, clock.Elapsed);
        return Success;
    }

    private static ImmutableArray<string> PoliciesOf(string[]? given)
    {
        if (given is null || given.Length == 0) return [.. Policies.Implemented];
        var chosen = new List<string>();
        foreach (var name in given.SelectMany(g => g.Split(',')).Select(n => n.Trim()))
        {
            if (name.Length == 0) throw new ArgumentException("--policy: empty policy name (expected e.g. --policy rfc-v1 --policy odp, or --policy rfc-v1,odp)");
            try
            {
                Policies.Require(name);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException("--policy: " + ex.Message, ex);
            }
            if (!chosen.Contains(name)) chosen.Add(name);
        }
        return [.. chosen];
    }

    private static int Usage(TextWriter stderr, IEnumerable<string> errors)
    {
        foreach (var error in errors) stderr.WriteLine("storage-server: " + error);
        stderr.WriteLine("Try 'StorageServer --help'.");
        return BadInput;
    }
}
