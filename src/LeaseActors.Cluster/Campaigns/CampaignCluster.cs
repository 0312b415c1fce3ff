using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace LeaseActors.Cluster.Campaigns;

/// <summary>
/// Starts and stops the nodes of a campaign cluster: one ActorSystem per node, named <see cref="SystemName"/>, on
/// Akka.Cluster over Akka.Remote's TCP transport. The coordinator's node forms the cluster; workers join it.
/// </summary>
/// <remarks>
/// Downing uses Akka's split brain resolver with <c>keep-oldest</c> and <c>down-if-alone = off</c>: the coordinator is
/// always the oldest member (workers join through it), so in a partition the coordinator's side survives, even alone,
/// and workers cut off from it down themselves and stop. A node that leaves on purpose (its ActorSystem terminated, or
/// the process ending normally) leaves gracefully and needs no downing.
/// </remarks>
public static class CampaignCluster
{
    /// <summary>The name of every node's ActorSystem (part of the Akka address a worker joins).</summary>
    public const string SystemName = "leaseactors-campaign";

    /// <summary>The cluster role of the coordinator's node.</summary>
    public const string CoordinatorRole = "campaign-coordinator";

    /// <summary>The cluster role of a worker's node.</summary>
    public const string WorkerRole = "campaign-worker";

    /// <summary>
    /// Starts a node: binds <see cref="CampaignNodeOptions.Host"/> and <see cref="CampaignNodeOptions.Port"/>, and joins
    /// itself (the coordinator) or the coordinator (a worker; retried until <see cref="CampaignNodeOptions.JoinTimeout"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ActorSystem Start(CampaignNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var system = ActorSystem.Create(SystemName, Config(options));
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (options.Join is { } join)
        {
            var (host, port) = ParseEndpoint(join, "the coordinator's address");
            cluster.JoinSeedNodes([new Address("akka.tcp", SystemName, host, port)]);
        }
        else cluster.Join(cluster.SelfAddress);
        return system;
    }

    /// <summary>The <c>host:port</c> a node is reachable at (with the port it actually bound when asked for port 0).</summary>
    public static string Endpoint(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Endpoint(Akka.Cluster.Cluster.Get(system).SelfAddress);
    }

    /// <summary>The <c>host:port</c> of a node's address.</summary>
    public static string Endpoint(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Host is { } host ? (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + address.Port?.ToString(CultureInfo.InvariantCulture) : address.ToString();
    }

    /// <summary>
    /// Reads <c>host:port</c> (an IPv6 address in brackets, <c>[::1]:4053</c>).
    /// </summary>
    /// <param name="text">The text to read.</param>
    /// <param name="what">What the address is, for the error message.</param>
    /// <exception cref="ArgumentException">The text is not <c>host:port</c> with a port in 0–65535.</exception>
    public static (string Host, int Port) ParseEndpoint(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new ArgumentException($"{what} must be HOST:PORT (e.g. 127.0.0.1:4053), was '{text}'");
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal)) throw new ArgumentException($"{what}: write an IPv6 address in brackets, [::1]:4053; was '{text}'");
        if (host.Length == 0) throw new ArgumentException($"{what} must be HOST:PORT (e.g. 127.0.0.1:4053), was '{text}'");
        return (host, port);
    }

    /// <summary>
    /// Leaves the cluster gracefully and terminates the node (Akka's coordinated shutdown), waiting at most
    /// <paramref name="timeout"/>.
    /// </summary>
    public static Task Leave(ActorSystem system, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(system);
        return CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).WaitAsync(timeout);
    }

    private static Config Config(CampaignNodeOptions options)
    {
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var role = options.IsCoordinator ? CoordinatorRole : WorkerRole;
        var joinTimeout = options.IsCoordinator ? "off" : Ms(options.JoinTimeout);
        return ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{options.LogLevel}}
              stdout-loglevel = OFF
              loggers = ["LeaseActors.Cluster.Campaigns.Internal.StandardErrorLogger, LeaseActors.Cluster"]
              log-config-on-start = off
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = {{Quote(options.Host)}}
                  port = {{options.Port.ToString(CultureInfo.InvariantCulture)}}
                  # A results batch or a topology's text can exceed the default 128 kB frame.
                  maximum-frame-size = 4MiB
                  send-buffer-size = 4MiB
                  receive-buffer-size = 4MiB
                }
              }
              cluster {
                roles = [{{role}}]
                log-info = off
                seed-node-timeout = 2s
                retry-unsuccessful-join-after = 2s
                shutdown-after-unsuccessful-join-seed-nodes = {{joinTimeout}}
                failure-detector.acceptable-heartbeat-pause = {{Ms(options.HeartbeatPause)}}
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-oldest
                  stable-after = {{Ms(options.DownAfter)}}
                  keep-oldest.down-if-alone = off
                }
                run-coordinated-shutdown-when-down = on
              }
            }
            """);
    }
}
