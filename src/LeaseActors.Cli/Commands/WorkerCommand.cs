using System.CommandLine;
using LeaseActors.Cluster.Campaigns;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// <c>leaseactors worker --join HOST:PORT [--listen HOST[:PORT]] [--parallel K]</c>: joins the cluster of a
/// <c>chaos … --cluster HOST:PORT</c> coordinator, makes the runs it is handed, streams their results lines back, and
/// exits when the campaign is over (docs/chaos.md "Campaigns on a cluster").
/// </summary>
/// <remarks>
/// Exit codes: 0 the campaign finished; 2 bad usage, or this worker cannot run the campaign as the coordinator does (its
/// parse fails or gives other runs: another build); 3 no coordinator was found, or it went away or stopped the campaign
/// before the end; 70 a run failed (a bug).
/// </remarks>
internal static class WorkerCommand
{
    public static Command Create(TextWriter stderr)
    {
        var join = new Option<string>("--join") { Description = "The coordinator's HOST:PORT (what 'chaos … --cluster' printed).", Required = true };
        var listen = new Option<string?>("--listen") { Description = "HOST or HOST:PORT this worker binds and is reached at (default: the --join host, on a free port)." };
        var parallel = new Option<int>("--parallel") { Description = "Runs at once (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("worker", "Make the runs of a chaos campaign coordinated by 'leaseactors chaos … --cluster HOST:PORT'.") { join, listen, parallel };
        command.SetAction(parse => Execute(parse.GetValue(join)!, parse.GetValue(listen), parse.GetValue(parallel), stderr));
        return command;
    }

    /// <summary><c>HOST:PORT</c>, <c>[IPv6]:PORT</c>, or a host alone (a name, an IPv4 address, or an IPv6 address without brackets) on a free port.</summary>
    private static (string Host, int Port) Listen(string listen) =>
        listen.StartsWith('[') || listen.Count(c => c == ':') == 1 ? CampaignCluster.ParseEndpoint(listen, "--listen") : (listen, 0);

    private static int Execute(string join, string? listen, int parallel, TextWriter stderr)
    {
        CampaignNodeOptions node;
        WorkerOptions options;
        try
        {
            var (joinHost, _) = CampaignCluster.ParseEndpoint(join, "--join");
            var (host, port) = listen is null ? (joinHost, 0) : Listen(listen);
            node = new CampaignNodeOptions { Host = host, Port = port, Join = join }.Validate();
            options = new WorkerOptions { Parallel = parallel }.Validate();
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine("leaseactors: " + ex.Message);
            return ExitCodes.BadInput;
        }

        Akka.Actor.ActorSystem system;
        try
        {
            system = CampaignCluster.Start(node);
        }
#pragma warning disable CA1031 // Akka reports a port it cannot bind with several exception types; all are bad usage here.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var inner = ex;
            while (inner.InnerException is not null) inner = inner.InnerException;
            stderr.WriteLine($"leaseactors: worker: cannot listen at {node.Host}:{node.Port}: {inner.Message} (give --listen with an address of this machine that the coordinator can reach)");
            return ExitCodes.BadInput;
        }

        stderr.WriteLine($"worker: listening at {CampaignCluster.Endpoint(system)}, joining {join}");
        var outcome = CampaignWorker.Start(system, options, message => stderr.WriteLine("worker: " + message)).GetAwaiter().GetResult();
        try
        {
            CampaignCluster.Leave(system, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        switch (outcome.End)
        {
            case WorkerEnd.Finished:
                stderr.WriteLine($"worker: the campaign finished; this worker made {outcome.Runs} runs");
                return ExitCodes.Success;
            case WorkerEnd.Refused:
                stderr.WriteLine($"leaseactors: worker: cannot run this campaign: {outcome.Reason}");
                return ExitCodes.BadInput;
            case WorkerEnd.Failed:
                stderr.WriteLine($"leaseactors: worker: a run failed (a bug; please report it): {outcome.Reason}");
                return ExitCodes.InternalError;
            case WorkerEnd.Stopped:
                stderr.WriteLine($"leaseactors: worker: the coordinator stopped the campaign: {outcome.Reason}");
                return ExitCodes.EnvironmentMissing;
            default:
                stderr.WriteLine($"leaseactors: worker: {outcome.Reason}");
                return ExitCodes.EnvironmentMissing;
        }
    }
}
