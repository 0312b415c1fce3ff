namespace LeaseActors.Judging;

/// <summary>
/// The policies a run can use (DESIGN.md §3). Only <c>mainline</c> — today's kernel — is implemented so far; the
/// designs of the 2019 debate arrive with the RDMA and FS-DAX model.
/// </summary>
public static class Policies
{
    /// <summary>Today's kernel.</summary>
    public const string Mainline = "mainline";

    /// <summary>Every policy name a run accepts.</summary>
    public static IReadOnlyList<string> Implemented { get; } = [Mainline];

    /// <summary>Every policy name DESIGN.md §3 defines (a topology may key expectations by any of them).</summary>
    public static IReadOnlyList<string> Known { get; } =
        [Mainline, "rfc-v1", "rfc-v2", "lease-per-holder", "mr-holds-lease", "deny-pass", "block-close", "revoke-kill", "odp", "wait-forever", "trust-lease"];

    /// <summary>Checks that <paramref name="policy"/> can be run; throws an <see cref="ArgumentException"/> naming the choices otherwise.</summary>
    public static string Require(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Implemented.Contains(policy)) return policy;
        if (Known.Contains(policy))
            throw new ArgumentException($"policy '{policy}' is defined in DESIGN.md §3 but not implemented yet (implemented: {string.Join(", ", Implemented)})");
        throw new ArgumentException($"unknown policy '{policy}' (known: {string.Join(", ", Known)})");
    }
}
