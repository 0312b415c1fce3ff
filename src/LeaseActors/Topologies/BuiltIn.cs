using LeaseActors.Topologies.Internal;

namespace LeaseActors.Topologies;

/// <summary>
/// Topologies shipped inside the library, as topology text (embedded resources under <c>Topologies/BuiltIn/</c>).
/// <see cref="Default"/> is what <c>leaseactors run</c> uses when given no topology.
/// </summary>
public static class BuiltIn
{
    /// <summary>The source label of <see cref="SeedEmail"/> in results and errors.</summary>
    public const string SeedEmailSource = "(built-in) seed-email.conf";

    private const string SeedEmailResource = "LeaseActors.Topologies.BuiltIn.seed-email.conf";

    private static readonly Lazy<Topology> LazySeedEmail = new(() => TopologyParser.Parse(SeedEmailText, SeedEmailSource));

    /// <summary>
    /// The text of the seed email's scenario (Dave Chinner, 24 Aug 2019,
    /// <c>&lt;20190824001124.GI1119@dread.disaster.area&gt;</c>): A takes a read lease on <c>/mnt/pmem/data</c>, passes
    /// the fd to B over socket <c>ab</c> and exits; B would release within 5 ms of a SIGIO, but the break signal goes
    /// to the description's owner, A, which is gone; C's <c>open(O_RDWR)</c> waits the whole lease-break-time.
    /// </summary>
    public static string SeedEmailText => Resources.Read(SeedEmailResource);

    /// <summary>The seed email's scenario, parsed (see <see cref="SeedEmailText"/>).</summary>
    public static Topology SeedEmail => LazySeedEmail.Value;

    /// <summary>The topology a run uses when none is given: <see cref="SeedEmail"/>.</summary>
    public static Topology Default => SeedEmail;
}
