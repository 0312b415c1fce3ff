using LeaseActors.Topologies.Internal;

namespace LeaseActors.Topologies;

/// <summary>
/// Reads topology files (HOCON, docs/topology-format.md) into <see cref="Topology"/> values, with Akka.NET's own
/// HOCON parser and the defaults of the embedded reference config (<c>topology-reference.conf</c>).
/// </summary>
/// <remarks>
/// Bad input of any kind — a HOCON syntax error, an unknown key, a name used but never defined, a bad duration —
/// throws <see cref="TopologyException"/>, whose one-line message names the file, the HOCON path and what was
/// expected. No other exception comes out for any text; one that does is a bug.
/// </remarks>
public static class TopologyParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names it in errors and is the default <see cref="Topology.Name"/> (without its extension).</summary>
    /// <exception cref="TopologyException">The text is not a valid topology.</exception>
    public static Topology Parse(string text, string source = "(text)")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var root = HoconReader.Read(text, source);
        return new TopologyReader(source, TopologyDefaults.Reference).Read(root, text);
    }

    /// <summary>Reads and parses the topology file at <paramref name="path"/>.</summary>
    /// <exception cref="TopologyException">The file cannot be read, or is not a valid topology.</exception>
    public static Topology ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(HoconReader.ReadFile(path), path);
    }
}
