using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

/// <summary>Who receives a lease-break signal and what it carries (SEMANTICS.md §1.7, §4 R22/R31–R34, §5 D02–D18).</summary>
public sealed class NotificationSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Lbt = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    /// <summary>A process that breaks every lease on <paramref name="path"/> without waiting, once <paramref name="after"/> reached <paramref name="label"/>.</summary>
    private static Step[] BreakNow(string after, string label, string path = "/data", string breakerLabel = "breaker") =>
        [S.WaitFor(after, label), S.Open(path, O_WRONLY | O_NONBLOCK, "w", breakerLabel)];

    [Fact]
    public void R22_releasing_with_F_UNLCK_or_removal_at_break_timeout_clears_F_GETOWN_and_F_GETSIG()
    {
        var scenario = new ScenarioBuilder()
            .File("/a")
            .File("/b")
            .Process("A", 0, Acts.Catches(Sig.SIGIO).Handle(Sig.SIGRTMIN),
                S.Open("/a", O_RDONLY, "f"),
                S.Do(new SetSig("f", Sig.SIGRTMIN)),
                S.Lease("f", LeaseType.F_RDLCK, "lease-a"),
                S.Do(new GetOwn("f"), "own-a-before"),
                S.Do(new GetSig("f"), "sig-a-before"),
                S.Lease("f", LeaseType.F_UNLCK, "release-a"),
                S.Do(new GetOwn("f"), "own-a-after"),
                S.Do(new GetSig("f"), "sig-a-after"),
                S.Open("/b", O_RDONLY, "h"),
                S.Do(new SetOwn("h", "A")),
                S.Do(new SetSig("h", Sig.SIGRTMIN)),
                S.Lease("h", LeaseType.F_WRLCK, "lease-b"),
                S.Do(new GetOwn("h"), "own-b-before"),
                S.Do(new GetSig("h"), "sig-b-before"),
                S.WaitFor("C", "breaker"),
                S.Do(new GetOwn("h"), "own-b-after"),
                S.Do(new GetSig("h"), "sig-b-after"))
            .Process("C",
                S.WaitFor("A", "sig-b-before"),
                S.Open("/b", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        var a = run.Pid("A");
        Assert.Equal((a, Sig.SIGRTMIN), (run.Step("A", "own-a-before").Value, run.Step("A", "sig-a-before").Value));
        Assert.Equal((0, 0), (run.Step("A", "own-a-after").Value, run.Step("A", "sig-a-after").Value));
        Assert.Equal((a, Sig.SIGRTMIN), (run.Step("A", "own-b-before").Value, run.Step("A", "sig-b-before").Value));
        Assert.Equal(Lbt, run.Step("C", "breaker").Took);
        Assert.Contains(run.Where("lease.removed", "path", "/b"), e => (string?)e.Event["reason"] == nameof(LeaseChangeReason.BreakTimeout));
        Assert.Equal((0, 0), (run.Step("A", "own-b-after").Value, run.Step("A", "sig-b-after").Value));
    }

    [Fact]
    public void R31_F_SETSIG_delivers_the_signal_with_POLL_MSG_and_the_F_SETLEASE_fd_not_a_dup_of_it()
    {
        var rt1 = Sig.SIGRTMIN + 1;
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.None.Handle(rt1, true, S.Lease("g", LeaseType.F_UNLCK, "release")),
                S.Open("/data", O_RDONLY, "f", "open"),
                S.Do(new SetSig("f", rt1)),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Dup("f", "g"), "dup"),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "dup"))
            .Build();

        var run = fixture.Run(scenario);

        var leaseFd = run.Step("A", "open").Value;
        Assert.NotEqual(leaseFd, run.Step("A", "dup").Value);
        var signal = run.Delivered("A").Single();
        Assert.Equal(("SIGRTMIN+1", "handler", (long)Sig.POLL_MSG, leaseFd, Sig.PollMsgBand), (signal.Signal, signal.Action, signal.Code, signal.Fd, signal.Band));
        Assert.Null(run.Step("A", "release").Errno);
    }

    [Fact]
    public void R32_F_SETLEASE_keeps_an_owner_set_before_it_so_only_that_process_is_signalled()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SetOwn("f", "B"), "setown"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new GetOwn("f"), "owner"),
                S.Sleep(Long))
            .Process("B", 0, Acts.Catches(Sig.SIGIO), S.Sleep(Long))
            .Process("C", BreakNow("A", "owner"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(run.Pid("B"), run.Step("A", "owner").Value);
        Assert.Equal(("SIGIO", "handler"), run.Signals("B").Select(s => (s.Signal, s.Action)).Single());
        Assert.Empty(run.Signals("A"));
    }

    [Fact]
    public void O4_D15_without_an_owner_F_SETLEASE_makes_the_callers_process_the_owner_and_F_GETOWN_EX_reports_F_OWNER_PID()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new GetOwn("f"), "before"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new GetOwn("f"), "owner"),
                S.Do(new GetOwnEx("f"), "owner-ex"),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "owner-ex"))
            .Build();

        var run = fixture.Run(scenario);

        var a = run.Pid("A");
        Assert.Equal(0, run.Step("A", "before").Value);
        Assert.Equal(a, run.Step("A", "owner").Value);
        Assert.Equal([(long)OwnerKind.F_OWNER_PID, a], run.Values("A", "owner-ex"));
        Assert.Single(run.Signals("A"));
    }

    [Fact]
    public void R33_F_SETOWN_by_a_process_that_received_the_description_redirects_the_break_signal_to_it()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"])),
                S.Sleep(Long))
            .Process("B", 0, Acts.Catches(Sig.SIGIO),
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.Do(new SetOwn("g", "B"), "setown"),
                S.Do(new GetOwn("g"), "owner"),
                S.Sleep(Long))
            .Process("C", BreakNow("B", "owner"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(run.Pid("B"), run.Step("B", "owner").Value);
        Assert.Single(run.Signals("B"));
        Assert.Empty(run.Signals("A"));
    }

    [Fact]
    public void O8_F_SETOWN_EX_by_a_forked_child_replaces_the_owner_for_every_holder()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Fork("K", [
                    S.Do(new SetOwnEx("f", OwnerKind.F_OWNER_PID, "K"), "setown-ex"),
                    S.Sleep(Long)])),
                S.WaitFor("K", "setown-ex"),
                S.Do(new GetOwn("f"), "owner"),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "owner"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(run.Pid("K"), run.Step("A", "owner").Value);
        Assert.Single(run.Signals("K"));
        Assert.Empty(run.Signals("A"));
    }

    [Fact]
    public void R34_F_SETOWN_of_a_negative_pgid_signals_every_process_of_the_group_and_no_one_else()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Do(new Setpgid(), "leader"),
                S.WaitFor("B", "joined"),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SetOwn("f", ProcessRef.GroupOf("A")), "setown"),
                S.Do(new GetOwn("f"), "owner"),
                S.Sleep(Long))
            .Process("B", 0, Acts.Catches(Sig.SIGIO),
                S.WaitFor("A", "leader"),
                S.Do(new Setpgid("A"), "joined"),
                S.Sleep(Long))
            .Process("D", 0, Acts.Catches(Sig.SIGIO), S.Sleep(Long))
            .Process("C", BreakNow("A", "owner"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(-run.Pid("A"), run.Step("A", "owner").Value);
        Assert.Single(run.Signals("A"));
        Assert.Single(run.Signals("B"));
        Assert.Empty(run.Signals("D"));
        Assert.Empty(run.Signals("C"));
    }

    [Fact]
    public void O13_a_lease_set_by_a_non_leader_thread_reads_F_GETOWN_0_yet_signals_the_whole_process_while_that_thread_lives()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SpawnThread("t", [
                    S.Lease("f", LeaseType.F_RDLCK, "lease"),
                    S.Do(new GetOwn("f"), "owner"),
                    S.Sleep(Long)])),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "owner"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(0, run.Step("A", "owner").Value);
        Assert.Equal(("SIGIO", "handler"), run.Signals("A").Select(s => (s.Signal, s.Action)).Single());
    }

    [Fact]
    public void O14_after_the_thread_that_set_the_lease_exits_no_one_is_signalled_though_the_process_still_holds_the_lease()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SpawnThread("t", [S.Lease("f", LeaseType.F_RDLCK, "lease")])),
                S.WaitFor("A", "lease"),
                S.Sleep(TimeSpan.FromSeconds(1)),
                S.GetLease("f", "still"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "still"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Single(run.Where("thread.exited", "thread", "A.t"));
        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("A", "still").Value);
        Assert.Equal(Lbt, run.Step("C", "breaker").Took);
        Assert.Empty(run.Signals("A"));
        Assert.Contains(run.Events("signal.lost"), e => (string?)e.Event["reason"] == "owner exited");
    }

    [Fact]
    public void F_OWNER_TID_targets_one_thread_which_runs_the_handler_and_nobody_is_signalled_once_it_has_exited()
    {
        var scenario = new ScenarioBuilder()
            .File("/a")
            .File("/b")
            .Process("A", 0, Acts.None.Handle(Sig.SIGIO, restart: false),
                S.Open("/a", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Open("/b", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK),
                S.Do(new SpawnThread("t", [
                    S.Do(new SetOwnEx("f", OwnerKind.F_OWNER_TID, "A.t")),
                    S.Do(new SetOwnEx("g", OwnerKind.F_OWNER_TID, "A.t")),
                    S.Do(new GetOwnEx("f"), "owner-ex"),
                    S.Sleep(TimeSpan.FromSeconds(5))])),
                // The main thread waits interruptibly; a signal for thread t must not interrupt it.
                S.Do(new RecvMsg("sp", ["x"]), "main-wait"))
            .Process("P",
                S.Sleep(TimeSpan.FromSeconds(20)),
                S.Do(new SendMsg("sp", []), "wake-main"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "owner-ex"),
                S.Open("/a", O_WRONLY | O_NONBLOCK, "w", "while-alive"),
                S.Sleep(TimeSpan.FromSeconds(10)),
                S.Open("/b", O_WRONLY | O_NONBLOCK, "w2", "after-exit"))
            .Socket("sp", "A", "P")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal([(long)OwnerKind.F_OWNER_TID, run.Tid("A.t")], run.Values("A", "owner-ex"));
        Assert.Equal(("SIGIO", "handler"), run.Signals("A").Select(s => (s.Signal, s.Action)).Single());
        Assert.True(run.Where("thread.exited", "thread", "A.t").Single().Time < run.At("C", "after-exit"));
        Assert.Single(run.Events("signal.lost"));
        Assert.Equal("A.t", run.Events("handler.start").Single().Event["thread"]);
        var wait = run.Step("A", "main-wait");
        Assert.Null(wait.Errno);
        Assert.Equal(TimeSpan.FromSeconds(20), run.At("A", "main-wait"));
    }

    [Fact]
    public void O7_with_the_owner_exited_while_its_forked_child_holds_the_description_no_one_is_signalled_and_the_breaker_waits_the_full_time()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Fork("K", [S.Sleep(Long)]), "fork"),
                S.Exit())
            .Process("C",
                S.WaitFor("A", "exited"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(Lbt, run.Step("C", "breaker").Took);
        Assert.Empty(run.Signals("K"));
        Assert.Contains(run.Events("signal.lost"), e => (string?)e.Event["reason"] == "owner exited");
        Assert.Contains(run.Events("lease.removed"), e => (string?)e.Event["reason"] == nameof(LeaseChangeReason.BreakTimeout));
    }

    [Fact]
    public void D02_F_GETOWN_reads_0_once_the_owner_has_exited_while_the_lease_lives_on()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"])),
                S.WaitFor("B", "before"),
                S.Exit())
            .Process("B",
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.Do(new GetOwn("g"), "before"),
                S.WaitFor("A", "exited"),
                S.Do(new GetOwn("g"), "after"),
                S.GetLease("g", "lease"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(run.Pid("A"), run.Step("B", "before").Value);
        Assert.Equal(0, run.Step("B", "after").Value);
        Assert.Equal((long)LeaseType.F_RDLCK, run.Step("B", "lease").Value);
    }

    [Fact]
    public void F_GETOWN_still_reads_an_exited_forked_owner_while_it_is_an_unreaped_zombie()
    {
        // Found by leaseactors conform on Linux 6.18: f_getown checks pid_task, which a zombie still has. A forked
        // child stays a zombie while its parent lives (programs never wait); a scenario process is reaped at once.
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new Fork("K", [S.Do(new SetOwn("f", "K"), "owned"), S.Exit()]), "fork"),
                S.WaitFor("K", "exited"),
                S.Do(new GetOwn("f"), "zombie-owner"),
                S.Do(new GetOwnEx("f"), "zombie-owner-ex"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(run.Pid("K"), run.Step("A", "zombie-owner").Value);
    }

    [Fact]
    public void A_self_break_of_two_leases_delivers_one_coalesced_SIGIO_to_the_breaker()
    {
        // Found by leaseactors conform --fuzz on Linux 6.18: __break_lease signals every conflicting lease before it
        // sleeps, so the breaker that holds both leases has two plain SIGIOs pending together — one delivery.
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, ScenarioBuilder.Handles(Sig.SIGIO, TimeSpan.Zero, true),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease1"),
                S.Open("/data", O_RDONLY, "g"),
                S.Lease("g", LeaseType.F_RDLCK, "lease2"),
                S.Open("/data", O_WRONLY, "w", "self"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(Lbt, run.Step("A", "self").Took);
        Assert.True(1 == run.Signals("A").Count, run.Dump());
        Assert.True(1 == run.Where("signal.pending", "state", "coalesced").Count, run.Dump());
    }

    [Fact]
    public void F_SETOWN_of_a_process_that_exited_and_was_reaped_fails_with_ESRCH_but_a_zombie_is_still_found()
    {
        // Found by leaseactors conform --fuzz on Linux 6.18: f_setown's find_vpid finds no pid for a reaped process.
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("B", S.Exit())
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new Fork("K", [S.Exit()]), "fork"),
                S.WaitFor("B", "exited"),
                S.WaitFor("K", "exited"),
                S.Do(new SetOwn("f", "B"), "reaped"),
                S.Do(new SetOwnEx("f", OwnerKind.F_OWNER_PID, "B"), "reaped-ex"),
                S.Do(new SetOwn("f", "K"), "zombie"))
            .Build();

        var run = fixture.Run(scenario);

        run.Fails("A", "reaped", Errno.ESRCH);
        run.Fails("A", "reaped-ex", Errno.ESRCH);
        run.Returns("A", "zombie", 0);
    }

    [Fact]
    public void Kill_of_a_zombie_succeeds_and_delivers_nothing_but_kill_of_a_reaped_process_fails_with_ESRCH()
    {
        // Found by leaseactors conform on Linux 6.18: a forked child its parent never waited for is a zombie.
        var scenario = new ScenarioBuilder()
            .Process("B", S.Exit())
            .Process("A",
                S.Do(new Fork("K", [S.Exit()]), "fork"),
                S.WaitFor("B", "exited"),
                S.WaitFor("K", "exited"),
                S.Do(new Kill("K", Sig.SIGUSR1), "zombie"),
                S.Do(new Kill("B", Sig.SIGUSR1), "reaped"))
            .Build();

        var run = fixture.Run(scenario);

        run.Returns("A", "zombie", 0);
        run.Fails("A", "reaped", Errno.ESRCH);
        Assert.Empty(run.Signals("K"));
    }

    [Fact]
    public void D18_F_SETOWN_0_leaves_no_owner_so_nobody_is_signalled_and_the_breaker_waits_the_full_time()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SetOwn("f", null), "setown-0"),
                S.Do(new GetOwn("f"), "owner"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "owner"),
                S.Open("/data", O_RDWR, "w", "breaker"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Null(run.Step("A", "setown-0").Errno);
        Assert.Equal(0, run.Step("A", "owner").Value);
        Assert.Equal(Lbt, run.Step("C", "breaker").Took);
        Assert.Empty(run.Signals("A"));
        Assert.Contains(run.Events("signal.lost"), e => (string?)e.Event["reason"] == "no owner");
    }

    [Fact]
    public void D09_the_owner_may_be_a_process_that_does_not_hold_the_description_at_all()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SetOwn("f", "D"), "setown"),
                S.Sleep(Long))
            .Process("D", 0, Acts.Catches(Sig.SIGIO), S.Sleep(Long))
            .Process("C", BreakNow("A", "setown"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Empty(run.Where("fd.installed", "process", "D"));
        Assert.Single(run.Signals("D"));
        Assert.Empty(run.Signals("A"));
    }

    [Fact]
    public void Sigio_perm_drops_the_signal_when_the_uid_recorded_at_F_SETOWN_matches_neither_uid_nor_suid_of_the_target()
    {
        var scenario = new ScenarioBuilder()
            .File("/user", owner: 1000)
            .File("/root")
            .Process("A", 1000, Acts.Catches(Sig.SIGIO),
                S.Open("/user", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SetOwn("f", "B"), "setown"),
                S.Sleep(Long))
            .Process("R", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/root", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SetOwn("f", "B"), "setown"),
                S.Sleep(Long))
            .Process("B", 2000, Acts.Catches(Sig.SIGIO), S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "setown"),
                S.WaitFor("R", "setown"),
                S.Open("/user", O_WRONLY | O_NONBLOCK, "w", "break-user"),
                S.Open("/root", O_WRONLY | O_NONBLOCK, "w2", "break-root"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Null(run.Step("A", "lease").Errno);
        var lost = run.Events("signal.lost").Single().Event;
        Assert.Equal(("B", "permission"), ((string?)lost["owner"], (string?)lost["reason"]));
        var sent = run.Where("signal.sent", "to", "B").Single().Event;
        Assert.Equal("lease break on /root", sent["reason"]);
        Assert.Single(run.Signals("B"));
        Assert.Empty(run.Signals("A"));
        Assert.Empty(run.Signals("R"));
    }

    [Fact]
    public void D12_plain_SIGIO_arrives_with_si_code_SI_KERNEL_si_fd_0_and_si_band_0()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "lease"))
            .Build();

        var run = fixture.Run(scenario);

        var signal = run.Delivered("A").Single();
        Assert.Equal(("SIGIO", "handler", 128L, 0L, 0L), (signal.Signal, signal.Action, signal.Code, signal.Fd, signal.Band));
    }

    [Fact]
    public void D13_F_SETSIG_SIGIO_gives_POLL_MSG_the_real_si_fd_and_band_0x441()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f", "open"),
                S.Do(new SetSig("f", Sig.SIGIO), "setsig"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "lease"))
            .Build();

        var run = fixture.Run(scenario);

        var signal = run.Delivered("A").Single();
        Assert.Equal(("SIGIO", (long)Sig.POLL_MSG, run.Step("A", "open").Value, 0x441L), (signal.Signal, signal.Code, signal.Fd, signal.Band));
    }

    [Fact]
    public void F_SETSIG_of_a_signal_with_its_own_si_codes_uses_SI_SIGIO_and_of_any_other_uses_POLL_MSG()
    {
        var scenario = new ScenarioBuilder()
            .File("/a")
            .File("/b")
            .Process("A", 0, Acts.Catches(Sig.SIGUSR1).Handle(Sig.SIGCHLD),
                S.Open("/a", O_RDONLY, "f"),
                S.Do(new SetSig("f", Sig.SIGUSR1)),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Open("/b", O_RDONLY, "g"),
                S.Do(new SetSig("g", Sig.SIGCHLD)),
                S.Lease("g", LeaseType.F_RDLCK, "leases"),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "leases"),
                S.Open("/a", O_WRONLY | O_NONBLOCK, "w"),
                S.Sleep(TimeSpan.FromSeconds(1)),
                S.Open("/b", O_WRONLY | O_NONBLOCK, "w2"))
            .Build();

        var run = fixture.Run(scenario);

        var signals = run.Delivered("A").Select(s => (s.Signal, s.Code)).ToList();
        Assert.Equal([("SIGUSR1", (long)Sig.POLL_MSG), ("SIGCHLD", (long)Sig.SI_SIGIO)], signals);
    }

    [Fact]
    public void D14_after_a_lease_is_removed_a_new_lease_signals_plain_SIGIO_unless_F_SETSIG_is_issued_again()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO).Handle(Sig.SIGRTMIN),
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new SetSig("f", Sig.SIGRTMIN)),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Lease("f", LeaseType.F_UNLCK),
                S.Lease("f", LeaseType.F_RDLCK, "again"),
                S.Do(new GetSig("f"), "sig"),
                S.Sleep(Long))
            .Process("C", BreakNow("A", "sig"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(0, run.Step("A", "sig").Value);
        var signal = run.Delivered("A").Single();
        Assert.Equal(("SIGIO", 128L, 0L), (signal.Signal, signal.Code, signal.Fd));
    }

    [Fact]
    public void O10_F_SETLEASE_by_a_process_that_received_the_description_makes_the_owners_si_fd_that_processs_fd_number()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .File("/other")
            .Process("A", 0, Acts.Catches(Sig.SIGRTMIN),
                S.Open("/data", O_RDONLY, "f", "open"),
                S.Do(new SetSig("f", Sig.SIGRTMIN)),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Do(new SendMsg("ab", ["f"])),
                S.Sleep(Long))
            .Process("B", 0, Acts.Catches(Sig.SIGRTMIN),
                S.Open("/other", O_RDONLY, "x1"),
                S.Open("/other", O_RDONLY, "x2"),
                S.Open("/other", O_RDONLY, "x3"),
                S.Do(new RecvMsg("ab", ["g"]), "recv"),
                S.Lease("g", LeaseType.F_RDLCK, "relet"),
                S.Sleep(Long))
            .Process("C", BreakNow("B", "relet"))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        var foreignFd = run.Step("B", "recv").Value;
        Assert.NotEqual(run.Step("A", "open").Value, foreignFd);
        Assert.Single(run.Events("lease.added")); // B's F_SETLEASE modified A's lease
        var signal = run.Delivered("A").Single();
        Assert.Equal(("SIGRTMIN", foreignFd), (signal.Signal, signal.Fd));
        Assert.Empty(run.Signals("B"));
    }

    [Fact]
    public void A_breaker_returns_only_once_the_holders_break_signal_is_pending_under_every_schedule()
    {
        // __break_lease signals (lm_break) before it returns EWOULDBLOCK: whoever learns that the breaker returned
        // finds the signal already pending at the holder.
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Do(new Sigprocmask(MaskHow.SIG_BLOCK, [Sig.SIGIO])),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.WaitFor("C", "breaker"),
                S.Do(new Sigprocmask(MaskHow.SIG_UNBLOCK, [Sig.SIGIO]), "unblock"))
            .Process("C", BreakNow("A", "lease"))
            .Build();

        for (ulong seed = 0; seed < 16; seed++)
        {
            var run = fixture.Run(scenario, seed);
            Assert.True(run.Where("signal.pending", "state", "blocked").Count == 1, $"seed {seed}:\n{run.Dump()}");
        }
    }

    [Fact]
    public void O9_plain_SIGIO_for_two_leases_broken_while_it_is_blocked_is_delivered_once()
    {
        var run = fixture.Run(TwoBreaksWhileBlocked(signum: 0, blocked: Sig.SIGIO));

        Assert.True(2 == run.Where("signal.sent", "to", "A").Count, run.Dump());
        Assert.True(1 == run.Where("signal.pending", "state", "coalesced").Count, run.Dump());
        Assert.Equal(["SIGIO"], run.HandlersRun("A"));
    }

    [Fact]
    public void O9_a_realtime_F_SETSIG_signal_queues_one_delivery_per_broken_lease_each_with_its_si_fd()
    {
        var run = fixture.Run(TwoBreaksWhileBlocked(signum: Sig.SIGRTMIN, blocked: Sig.SIGRTMIN));

        var fds = run.Delivered("A").Select(s => (s.Signal, s.Fd)).ToList();
        Assert.Equal([("SIGRTMIN", run.Step("A", "open-a").Value), ("SIGRTMIN", run.Step("A", "open-b").Value)], fds);
        Assert.Equal(["SIGRTMIN", "SIGRTMIN"], run.HandlersRun("A"));
    }

    [Fact]
    public void Pending_realtime_break_signals_are_delivered_lowest_number_first_not_in_arrival_order()
    {
        var scenario = new ScenarioBuilder()
            .File("/a")
            .File("/b")
            .Process("A", 0, Acts.Catches(Sig.SIGRTMIN + 1).Handle(Sig.SIGRTMIN + 2),
                S.Do(new Sigprocmask(MaskHow.SIG_BLOCK, [Sig.SIGRTMIN + 1, Sig.SIGRTMIN + 2])),
                S.Open("/a", O_RDONLY, "f"),
                S.Do(new SetSig("f", Sig.SIGRTMIN + 2)),
                S.Lease("f", LeaseType.F_RDLCK),
                S.Open("/b", O_RDONLY, "g"),
                S.Do(new SetSig("g", Sig.SIGRTMIN + 1)),
                S.Lease("g", LeaseType.F_RDLCK, "ready"),
                S.WaitFor("C", "second"),
                S.Do(new Sigprocmask(MaskHow.SIG_UNBLOCK, [Sig.SIGRTMIN + 1, Sig.SIGRTMIN + 2])),
                S.Sleep(Long))
            .Process("C",
                S.WaitFor("A", "ready"),
                S.Open("/a", O_WRONLY | O_NONBLOCK, "w", "first"),
                S.Open("/b", O_WRONLY | O_NONBLOCK, "w2", "second"))
            .Build();

        var run = fixture.Run(scenario);

        Assert.Equal(["SIGRTMIN+2", "SIGRTMIN+1"], run.Where("signal.sent", "to", "A").Select(e => (string)e.Event["signal"]!));
        Assert.Equal(["SIGRTMIN+1", "SIGRTMIN+2"], run.HandlersRun("A")); // next_signal takes the lowest number
    }

    [Fact]
    public void Sig_pending_limit_defaults_to_32768_as_on_an_8_GiB_machine() =>
        Assert.Equal(32768, new LeaseActors.Kernel.KernelOptions().SigPendingLimit);

    [Fact]
    public void F_SETSIG_falls_back_to_plain_SIGIO_when_the_realtime_queue_is_full()
    {
        var scenario = TwoBreaksWhileBlocked(signum: Sig.SIGRTMIN, blocked: Sig.SIGRTMIN) with { Options = new LeaseActors.Kernel.KernelOptions { SigPendingLimit = 1 } };

        var run = fixture.Run(scenario);

        var signals = run.Delivered("A").Select(s => (s.Signal, s.Code, s.Fd)).OrderBy(s => s.Signal, StringComparer.Ordinal).ToList();
        Assert.Equal([("SIGIO", 128L, 0L), ("SIGRTMIN", (long)Sig.POLL_MSG, run.Step("A", "open-a").Value)], signals);
    }

    /// <summary>
    /// A holds read leases on /a and /b with <paramref name="signum"/> as F_SETSIG and <paramref name="blocked"/> blocked;
    /// C breaks both; A unblocks a second later.
    /// </summary>
    private static LeaseActors.Kernel.Scenario TwoBreaksWhileBlocked(int signum, int blocked) => new ScenarioBuilder()
        .File("/a")
        .File("/b")
        .Process("A", 0, Acts.Catches(Sig.SIGIO).Handle(Sig.SIGRTMIN),
            S.Do(new Sigprocmask(MaskHow.SIG_BLOCK, [blocked])),
            S.Open("/a", O_RDONLY, "f", "open-a"),
            S.Do(new SetSig("f", signum)),
            S.Lease("f", LeaseType.F_RDLCK),
            S.Open("/b", O_RDONLY, "g", "open-b"),
            S.Do(new SetSig("g", signum)),
            S.Lease("g", LeaseType.F_RDLCK, "ready"),
            S.WaitFor("C", "second"),
            S.Do(new Sigprocmask(MaskHow.SIG_UNBLOCK, [blocked]), "unblock"),
            S.Sleep(Long))
        .Process("C",
            S.WaitFor("A", "ready"),
            S.Open("/a", O_WRONLY | O_NONBLOCK, "w", "first"),
            S.Open("/b", O_WRONLY | O_NONBLOCK, "w2", "second"))
        .Build();
}
