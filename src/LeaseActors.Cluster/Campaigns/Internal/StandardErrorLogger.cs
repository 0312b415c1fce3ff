using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>
/// Akka's log messages of a campaign node, on standard error: standard output belongs to the command's results (with
/// <c>--json</c>, JSON only), and Akka's default logger writes to standard output.
/// </summary>
internal sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        // A node that leaves or dies ends its TCP association, which Akka.Remote logs as an error; the coordinator already
        // says in plain words which worker was lost.
        Receive<LogEvent>(e => e.Message?.ToString() == "Disassociated", _ => { });
        Receive<LogEvent>(e => Console.Error.WriteLine(
            $"leaseactors: akka {e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToLowerInvariant()} ({e.LogSource}): {e.Message}{(e.Cause is { } cause ? " (" + cause.Message + ")" : "")}"));
    }
}
