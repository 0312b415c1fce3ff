using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Monitors;

/// <summary>The findings a mainline run can show, each in the scenario that shows it (SEMANTICS.md §3.3).</summary>
public sealed class FindingsMonitorTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    [Fact]
    public void H9_is_found_when_the_holder_opens_its_own_leased_file_for_writing()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, SignalIgnored(),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Open("/data", O_RDWR | O_NONBLOCK, "w", "self"))
            .Build());

        Assert.Equal("EAGAIN", run.Step("A", "self").Errno);
        Assert.Contains("H9", run.Findings());
        Assert.DoesNotContain("H3", run.Findings());
    }

    [Fact]
    public void H4_is_found_when_two_breaks_reach_a_process_as_one_plain_SIGIO()
    {
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, ScenarioBuilder.Handles(Sig.SIGIO, TimeSpan.FromMilliseconds(1), false),
                S.Do(new Sigprocmask(MaskHow.SIG_BLOCK, [Sig.SIGIO])),
                S.Open("/data", O_RDONLY, "f"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Lease("g", LeaseType.F_RDLCK, "leases"),
                S.Sleep(Long))
            .Process("B", S.WaitFor("A", "leases"), S.Open("/data", O_RDWR, "w", "breaker"))
            .Build());

        Assert.Equal(2, run.Events("lease.break").Count());
        Assert.Equal(["H4"], run.Findings());
    }

    [Fact]
    public void H5_is_found_when_si_fd_names_a_number_that_is_not_the_leased_description_in_the_signalled_process()
    {
        // O10: the receiver's F_SETLEASE on its own fd re-registers the fasync fd number, so the owner's si_fd
        // becomes the receiver's number, which is no fd at all in the owner.
        var run = fixture.Run(new ScenarioBuilder()
            .File("/data")
            .File("/other")
            .Process("A", 0, ScenarioBuilder.Handles(Sig.SIGIO, TimeSpan.FromMilliseconds(1), false),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SetSig("f", Sig.SIGIO)),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Do(new SendMsg("ab", ["f"])),
                S.Sleep(Long))
            .Process("B",
                S.Open("/other", O_RDONLY, "x"),
                S.Do(new RecvMsg("ab", ["g"]), "received"),
                S.Lease("g", LeaseType.F_RDLCK, "rehomed"),
                S.Sleep(Long))
            .Process("C", S.WaitFor("B", "rehomed"), S.Open("/data", O_RDWR | O_NONBLOCK, "w", "breaker"))
            .Socket("ab", "A", "B")
            .Build());

        var signal = Assert.Single(run.Signals("A"));
        Assert.Equal(5, signal.Fd); // B's number for the description: 3 is B's socket end, 4 is /other
        Assert.Contains("H5", run.Findings());
        Assert.DoesNotContain("H3", run.Findings());
    }

    private static System.Collections.Immutable.ImmutableDictionary<int, SignalAction> SignalIgnored() =>
        System.Collections.Immutable.ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO, SignalAction.Ignore);
}
