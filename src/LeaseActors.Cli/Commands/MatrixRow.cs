using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>A topology to run in every column of a matrix, with the label of its row.</summary>
/// <param name="Label">The row label: the topology's name, or its file when two given topologies share a name.</param>
/// <param name="Topology">The parsed topology.</param>
internal sealed record MatrixRow(string Label, Topology Topology);
