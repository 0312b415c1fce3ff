using LeaseActors.Leases;
using LeaseActors.Processes;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

public sealed class SeedScenarioTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Lbt = TimeSpan.FromSeconds(45);

    [Fact]
    public void R38_with_the_lease_setter_gone_nobody_is_signalled_and_the_breaker_waits_the_full_lease_break_time()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"])),
                S.Exit())
            .Process("B",
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.Sleep(TimeSpan.FromMinutes(10)))
            .Process("C",
                S.WaitFor("A", "exited"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        var breaker = run.Step("C", "breaker");
        Assert.Null(breaker.Errno);
        Assert.Equal(Lbt, breaker.Took);
        Assert.Empty(run.Signals("B"));
        Assert.Contains(run.Events("signal.lost"), e => (string?)e.Event["reason"] == "owner exited");
        Assert.Contains(run.Events("lease.removed"), e => (string?)e.Event["reason"] == "BreakTimeout");
        Assert.Equal(["H3", "H2"], run.Events("finding").Select(e => (string)e.Event["id"]!).ToArray());
    }

    [Fact]
    public void R37_after_passing_and_closing_the_receiver_can_release_and_the_signal_still_goes_to_the_sender()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, ScenarioBuilder.Handles(Signals.Sig.SIGIO, TimeSpan.FromMilliseconds(1), false),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"])),
                S.Close("f"),
                S.Sleep(TimeSpan.FromMinutes(5)))
            .Process("B",
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.GetLease("g", "seen"),
                S.WaitFor("C", "started"),
                S.Sleep(TimeSpan.FromSeconds(1)),
                S.Lease("g", LeaseType.F_UNLCK, "release"),
                S.Sleep(TimeSpan.FromMinutes(5)))
            .Process("C",
                S.WaitFor("B", "seen"),
                S.Label("started"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("B", "seen").Value);
        Assert.Single(run.Signals("A"));
        Assert.Empty(run.Signals("B"));
        Assert.Equal(TimeSpan.FromSeconds(1), run.Step("C", "breaker").Took);
    }
}
