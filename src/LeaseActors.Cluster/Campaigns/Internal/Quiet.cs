using Akka.Configuration;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>Settings for the simulation systems a campaign node runs its runs on: no logging (runs report through their traces).</summary>
internal static class Quiet
{
    public static Config Simulation { get; } = ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-config-on-start = off
        akka.log-dead-letters = off
        """);
}
