using System.Collections.Immutable;

namespace LeaseActors.Topologies.Internal;

/// <summary>Names a topology may refer to that are defined outside it: policies, verdicts, findings.</summary>
internal static class KnownNames
{
    /// <summary>The policies of DESIGN.md §3; processes must not be named like them (expect blocks are keyed by both).</summary>
    public static ImmutableArray<string> Policies { get; } = [.. Kernel.KernelPolicies.All.Select(p => p.Name)];

    /// <summary>The verdicts of DESIGN.md §4, least severe first.</summary>
    public static ImmutableArray<string> Verdicts { get; } = [.. Judging.VerdictNames.All];

    /// <summary>The hazards of SEMANTICS.md §3.3 that findings name.</summary>
    public static ImmutableArray<string> Findings { get; } = ["H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10", "H11"];

    /// <summary>Keys of an expect block that are not process or policy names.</summary>
    public static ImmutableArray<string> ExpectKeys { get; } = ["verdict", "findings"];

    /// <summary>Labels with a meaning of their own: <c>exited</c> (for wait-for) and <c>signals</c> (in expect).</summary>
    public static ImmutableArray<string> ReservedLabels { get; } = ["exited", "signals"];
}
