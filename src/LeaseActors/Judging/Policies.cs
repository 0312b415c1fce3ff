using LeaseActors.Kernel;

namespace LeaseActors.Judging;

/// <summary>The names of the policies a run can use (DESIGN.md §3); the policies themselves are <see cref="KernelPolicies"/>.</summary>
public static class Policies
{
    /// <summary>Today's kernel.</summary>
    public const string Mainline = "mainline";

    /// <summary>Every policy name a run accepts, in the order of DESIGN.md §3.</summary>
    public static IReadOnlyList<string> Implemented { get; } = [.. KernelPolicies.All.Select(p => p.Name)];

    /// <summary>Every policy name DESIGN.md §3 defines (a topology may key expectations by any of them).</summary>
    public static IReadOnlyList<string> Known => Implemented;

    /// <summary>Checks that <paramref name="policy"/> can be run; throws an <see cref="ArgumentException"/> naming the choices otherwise.</summary>
    public static string Require(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Implemented.Contains(policy)) return policy;
        throw new ArgumentException($"unknown policy '{policy}' (known: {string.Join(", ", Known)})");
    }

    /// <summary>The policy named <paramref name="policy"/>; throws an <see cref="ArgumentException"/> naming the choices when unknown.</summary>
    public static KernelPolicy Get(string policy) => KernelPolicies.Find(Require(policy))!;
}
