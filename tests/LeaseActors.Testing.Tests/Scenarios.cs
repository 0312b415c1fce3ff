using LeaseActors.Chaos;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Testing.Tests;

/// <summary>Small scenarios the tests share.</summary>
internal static class Scenarios
{
    /// <summary>
    /// A holds a read lease and releases it in its SIGIO handler after <paramref name="handlerTakes"/>; B opens for write
    /// once A holds the lease (the break), then exits.
    /// </summary>
    public static ScenarioBuilder HandlerReleases(TimeSpan handlerTakes) => new ScenarioBuilder()
        .Named("handler-releases")
        .File("/srv/data")
        .Process("A",
            S.Open("/srv/data", OpenFlags.O_RDONLY, "f"),
            S.Lease("f", LeaseType.F_RDLCK, "lease"),
            S.Sleep(TimeSpan.FromMinutes(1)))
        .Handler("A", Sig.SIGIO, handlerTakes, S.Unlock("f", "released"))
        .Process("B",
            S.WaitFor("A", "lease"),
            S.Open("/srv/data", OpenFlags.O_RDWR, "w", "breaker"));

    /// <summary>Signals reach A 0–5 ms late and its handler takes 0–30 s longer: every seed draws its own delays.</summary>
    public static ChaosPlan SlowHandlers { get; } = new()
    {
        Delays =
        [
            new DelayRule(ChaosPoint.SignalDelivery, new Distribution.Uniform(TimeSpan.Zero, TimeSpan.FromMilliseconds(5))),
            new DelayRule(ChaosPoint.Handler, new Distribution.Uniform(TimeSpan.Zero, TimeSpan.FromSeconds(30)), Process: "A"),
        ],
    };
}
