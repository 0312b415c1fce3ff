using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// What a command that runs a topology reads before running it: the topology (a file, or the built-in default), the
/// policy asked for, and a chaos plan file replacing the topology's own chaos block. Shared by <c>run</c>,
/// <c>replay</c> and <c>explore</c>, so that they refuse the same bad input with the same messages.
/// </summary>
/// <param name="Topology">The parsed topology.</param>
/// <param name="Path">The topology file as given, or null for the built-in default.</param>
/// <param name="Policy">The policy asked for with <c>--policy</c> (null: the topology's own, else mainline); known to exist.</param>
/// <param name="Chaos">The plan of <c>--chaos F</c>, checked against the topology; null keeps the topology's own block.</param>
/// <param name="ChaosPath">The file of <c>--chaos</c>, as given.</param>
internal sealed record RunInputs(Topology Topology, string? Path, string? Policy, ChaosPlan? Chaos, string? ChaosPath)
{
    /// <summary>The policy the run will use.</summary>
    public string EffectivePolicy => Policy ?? Topology.Policy ?? Policies.Mainline;

    /// <summary>Settings for <see cref="TopologyRunner"/> with the chaos plan and <paramref name="settings"/>' other fields.</summary>
    public TopologyRunSettings Settings(TopologyRunSettings? settings = null) => (settings ?? TopologyRunSettings.Default) with { Chaos = Chaos };

    /// <summary>
    /// Loads the inputs, or writes the one-line reason to <paramref name="stderr"/> and returns null (bad input: exit 2).
    /// </summary>
    public static RunInputs? Load(string? path, string? policy, string? chaosPath, TextWriter stderr)
    {
        try
        {
            var topology = TopologyLoader.Load(path);
            Policies.Require(policy ?? topology.Policy ?? Policies.Mainline);
            ChaosPlan? plan = null;
            if (chaosPath is not null)
            {
                plan = ChaosPlanParser.ParseFile(chaosPath);
                ChaosPlanParser.CheckAgainst(plan, topology, chaosPath);
            }
            return new RunInputs(topology, path, policy, plan, chaosPath);
        }
        catch (Exception ex) when (ex is TopologyException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("leaseactors: " + ex.Message);
            return null;
        }
    }
}
