using LeaseActors.Topologies;
using LeaseActors.Topologies.Internal;

namespace LeaseActors.Chaos;

/// <summary>
/// Reads chaos plans: a file under <c>configs/chaos/</c> (its root is a <c>chaos { … }</c> block, or the block's keys)
/// applied with <c>--chaos F</c>. A topology's own <c>chaos</c> block is read with the topology (<see cref="Topology.ChaosPlan"/>).
/// </summary>
public static class ChaosPlanParser
{
    /// <summary>Parses a plan from <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="TopologyException">The text is not a valid plan.</exception>
    public static ChaosPlan Parse(string text, string source = "(chaos)")
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = HoconReader.Read(text, source);
        var node = root.Kind == HoconNodeKind.Object && root.Fields.Length == 1 && root.Field("chaos") is { } inner ? inner : root;
        return new ChaosPlanReader(new ValueReader(source)).Read(node);
    }

    /// <summary>Reads and parses the plan file at <paramref name="path"/>.</summary>
    /// <exception cref="TopologyException">The file cannot be read, or is not a valid plan.</exception>
    public static ChaosPlan ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(HoconReader.ReadFile(path), path);
    }

    /// <summary>Checks that every process <paramref name="plan"/> names exists in <paramref name="topology"/>.</summary>
    /// <exception cref="TopologyException">A process is named that the topology does not have.</exception>
    public static void CheckAgainst(ChaosPlan plan, Topology topology, string source)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(topology);
        var names = topology.ProcessNames;
        foreach (var process in plan.Delays.Select(d => d.Process).Concat(plan.Crashes.Select(c => c.Process)).Concat(plan.Drops.Select(d => d.Process)))
            if (process is not null && !names.Contains(process))
                throw new TopologyException(source, "chaos", $"process `{process}` is not in topology {topology.Name} (processes: {string.Join(", ", names.Order(StringComparer.Ordinal))})");
    }
}
