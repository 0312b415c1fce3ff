using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;
using static LeaseActors.Tests.Kernel.SpecSupport;

namespace LeaseActors.Tests.Kernel;

/// <summary>SEMANTICS.md §1.6: what removing a lease does to its description (<c>lease_modify(F_UNLCK)</c>).</summary>
public sealed class LeaseRemovalSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void Removal_clears_F_GETOWN_and_F_GETSIG_even_when_they_were_set_before_the_lease_while_a_downgrade_keeps_them()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("B",
                S.Label("alive"),
                S.WaitFor("A", "released-sig"))
            .Process("A",
                S.WaitFor("B", "alive"),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SetOwn("f", "B"), "setown"),
                S.Do(new SetSig("f", Sig.SIGRTMIN), "setsig"),
                S.Lease("f", LeaseType.F_WRLCK, "lease"),
                S.Lease("f", LeaseType.F_RDLCK, "downgrade"),
                S.Do(new GetOwn("f"), "downgraded-own"),
                S.Do(new GetSig("f"), "downgraded-sig"),
                S.Lease("f", LeaseType.F_UNLCK, "release"),
                S.Do(new GetOwn("f"), "released-own"),
                S.Do(new GetSig("f"), "released-sig"))
            .Build());

        run.Returns("A", "lease", 0);
        run.Returns("A", "downgrade", 0);
        run.Returns("A", "downgraded-own", run.Pid("B"));
        run.Returns("A", "downgraded-sig", Sig.SIGRTMIN);
        run.Returns("A", "release", 0);
        run.Returns("A", "released-own", 0);
        run.Returns("A", "released-sig", 0);
    }
}
