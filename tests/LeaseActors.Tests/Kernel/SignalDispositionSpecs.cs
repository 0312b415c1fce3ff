using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

/// <summary>
/// What the holder's and the breaker's signal dispositions do to a break: default, ignored, blocked, handled with and
/// without SA_RESTART, and self-breaks whose handler runs inside the holder's own open (SEMANTICS.md §1.5 item 6, §5).
/// </summary>
public sealed class SignalDispositionSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Lbt = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private static ScenarioBuilder HolderAndBreaker(System.Collections.Immutable.ImmutableDictionary<int, SignalAction> holderActions, params Step[] holderAfterLease) =>
        new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, holderActions,
                [S.Open("/data", O_RDONLY, "f"), S.Lease("f", LeaseType.F_WRLCK, "lease"), .. holderAfterLease, S.Sleep(Long)])
            .Process("C",
                S.WaitFor("A", "ready"),
                S.Open("/data", O_RDWR, "w", "breaker"));

    [Fact]
    public void C08_a_holder_with_SIGIO_at_SIG_DFL_is_killed_by_the_break_and_its_exit_frees_the_breaker_at_once()
    {
        var run = fixture.Run(HolderAndBreaker(Acts.None, S.Label("ready")).Build());

        Assert.Equal([("SIGIO", "terminated")], run.Signals("A").Select(s => (s.Signal, s.Action)));
        Assert.Equal("SIGIO", run.ExitOf("A").Signal);
        Assert.Single(run.Events("breaker.blocked"));
        Assert.Equal((null, TimeSpan.Zero), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Equal("LastClose", run.Events("lease.removed").Single().Event["reason"]);
    }

    [Fact]
    public void C09_a_holder_that_ignores_SIGIO_makes_the_breaker_wait_the_full_lease_break_time()
    {
        var run = fixture.Run(HolderAndBreaker(Acts.None.Ignore(Sig.SIGIO), S.Label("ready")).Build());

        Assert.Equal([("SIGIO", "ignored")], run.Signals("A").Select(s => (s.Signal, s.Action)));
        Assert.False(run.Exited("A") && run.ExitOf("A").Signal is not null);
        Assert.Equal((null, Lbt), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Equal("BreakTimeout", run.Events("lease.removed").First().Event["reason"]);
    }

    [Fact]
    public void C10_SIGIO_blocked_by_sigprocmask_stays_pending_during_the_break_and_is_handled_when_unblocked()
    {
        var scenario = HolderAndBreaker(Acts.None.Handle(Sig.SIGIO, true, S.Lease("f", LeaseType.F_UNLCK, "release")),
                S.Do(new Sigprocmask(MaskHow.SIG_BLOCK, [Sig.SIGIO])),
                S.Label("ready"),
                S.Sleep(TimeSpan.FromSeconds(10)),
                S.Do(new Sigprocmask(MaskHow.SIG_UNBLOCK, [Sig.SIGIO]), "unblock"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Single(run.Where("signal.pending", "state", "blocked"));
        var signal = run.Delivered("A").Single();
        Assert.Equal(("handler", TimeSpan.FromSeconds(10)), (signal.Action, signal.At));
        Assert.Equal(TimeSpan.FromSeconds(10), run.At("A", "release"));
        Assert.Equal((null, TimeSpan.FromSeconds(10)), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
    }

    /// <summary>A holds a read lease and ignores its signal; C opens for write and is sent SIGUSR1 by K ten seconds later.</summary>
    private static LeaseActors.Kernel.Scenario InterruptedBreaker(bool restart) => new ScenarioBuilder()
        .File("/data")
        .Process("A", 0, Acts.Catches(Sig.SIGIO),
            S.Open("/data", O_RDONLY, "f"),
            S.Lease("f", LeaseType.F_RDLCK, "lease"),
            S.Sleep(Long))
        .Process("C", 0, Acts.None.Handle(Sig.SIGUSR1, restart),
            S.WaitFor("A", "lease"),
            S.Label("started"),
            S.Open("/data", O_RDWR, "w", "breaker"),
            S.Open("/data", O_RDWR, "w2", "retry"))
        .Process("K",
            S.WaitFor("C", "started"),
            S.Sleep(TimeSpan.FromSeconds(10)),
            S.Do(new Kill("C", Sig.SIGUSR1), "kill"))
        .Build();

    [Fact]
    public void C14_a_breaker_interrupted_without_SA_RESTART_gets_EINTR_and_its_retry_waits_only_the_time_left()
    {
        var run = fixture.Run(InterruptedBreaker(restart: false));

        Assert.Equal((nameof(Errno.EINTR), TimeSpan.FromSeconds(10)), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Equal((null, Lbt - TimeSpan.FromSeconds(10)), (run.Step("C", "retry").Errno, run.Step("C", "retry").Took));
        Assert.Single(run.Signals("A")); // the retry finds the lease already breaking
        Assert.Equal("BreakTimeout", run.Events("lease.removed").Single().Event["reason"]);
    }

    [Fact]
    public void C15_with_SA_RESTART_the_interrupted_open_restarts_transparently_with_the_same_deadline()
    {
        var run = fixture.Run(InterruptedBreaker(restart: true));

        Assert.Equal(true, run.Events("syscall.interrupted").Single().Event["restart"]);
        Assert.Equal((null, Lbt), (run.Step("C", "breaker").Errno, run.Step("C", "breaker").Took));
        Assert.Equal(["SIGUSR1"], run.HandlersRun("C"));
        Assert.Single(run.Signals("A"));
    }

    /// <summary>A holds a write lease on its own O_RDONLY description and then opens the file for writing itself.</summary>
    private static LeaseActors.Kernel.Scenario SelfBreak(bool restart, params Step[] handler) => new ScenarioBuilder()
        .File("/data")
        .Process("A", 0, Acts.None.HandleAfter(Sig.SIGIO, TimeSpan.FromSeconds(1), restart, handler),
            S.Open("/data", O_RDONLY, "f"),
            S.Lease("f", LeaseType.F_WRLCK, "lease"),
            S.Open("/data", O_RDWR, "w", "self"),
            S.GetLease("f", "after"),
            S.Sleep(TimeSpan.FromSeconds(50)),
            S.GetLease("f", "much-later"))
        .Process("B",
            S.WaitFor("A", "after"),
            S.Open("/data", O_RDONLY | O_NONBLOCK, "r", "probe"))
        .Build();

    [Fact]
    public void B15_self_break_F_UNLCK_in_the_handler_that_runs_inside_the_holders_own_open_frees_it_at_once()
    {
        var run = fixture.Run(SelfBreak(restart: true, S.Lease("f", LeaseType.F_UNLCK, "release")));

        Assert.Equal(["SIGIO"], run.HandlersRun("A"));
        Assert.Equal((null, TimeSpan.FromSeconds(1)), (run.Step("A", "self").Errno, run.Step("A", "self").Took));
        Assert.Equal(run.At("A", "release"), run.At("A", "self"));
        Assert.Equal((long)LeaseType.F_UNLCK, run.Step("A", "after").Value);
        Assert.Equal("Holder", run.Events("lease.removed").Single().Event["reason"]);
    }

    [Fact]
    public void B14_self_break_with_a_handler_that_does_nothing_costs_the_full_lease_break_time_and_the_lease()
    {
        var run = fixture.Run(SelfBreak(restart: true));

        Assert.Equal(["SIGIO"], run.HandlersRun("A"));
        Assert.Equal((null, Lbt), (run.Step("A", "self").Errno, run.Step("A", "self").Took));
        Assert.Equal((long)LeaseType.F_UNLCK, run.Step("A", "after").Value);
        Assert.Equal((Lbt, "BreakTimeout"), (run.Events("lease.removed").Single().Time, (string?)run.Events("lease.removed").Single().Event["reason"]));
        Assert.Equal((null, TimeSpan.Zero), (run.Step("B", "probe").Errno, run.Step("B", "probe").Took));
    }

    [Fact]
    public void Self_break_with_a_handler_without_SA_RESTART_fails_the_open_with_EINTR_at_once_leaving_the_lease_unlock_pending()
    {
        var run = fixture.Run(SelfBreak(restart: false));

        Assert.Equal((nameof(Errno.EINTR), TimeSpan.FromSeconds(1)), (run.Step("A", "self").Errno, run.Step("A", "self").Took)); // the handler's own time
        Assert.Equal((long)LeaseType.F_UNLCK, run.Step("A", "after").Value); // the target of the pending break
        Assert.Equal(nameof(Errno.EAGAIN), run.Step("B", "probe").Errno); // the write lease is still there
        // Nobody waits, so the expired break is applied only when someone looks (time_out_leases in fcntl_getlease).
        var removed = run.Events("lease.removed").Single();
        Assert.Equal((run.At("A", "much-later"), "BreakTimeout"), (removed.Time, (string?)removed.Event["reason"]));
        Assert.True(removed.Time > TimeSpan.FromSeconds(45));
    }
}
