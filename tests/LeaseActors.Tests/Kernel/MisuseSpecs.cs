using System.Collections.Immutable;
using LeaseActors.Kernel;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Kernel;

/// <summary>
/// Misuse through the API gets Linux's errno as a value, never an exception (STYLE.md: errors from emulated syscalls
/// are values): unknown fds, bad arguments, and calls to a process that has exited.
/// </summary>
public sealed class MisuseSpecs(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public void Every_fd_taking_call_on_an_unknown_or_wrong_kind_of_fd_returns_EBADF()
    {
        var calls = new (string Label, Syscall Call)[]
        {
            ("close-99", new Close(99)),
            ("close-negative", new Close(-1)),
            ("close-unnamed", new Close("nope")),
            ("dup", new Dup(99)),
            ("setlease", new SetLease(99, (int)LeaseType.F_RDLCK)),
            ("getlease", new GetLease("nope")),
            ("setown", new SetOwn(99, "A")),
            ("setown-ex", new SetOwnEx(99, OwnerKind.F_OWNER_PID, "A")),
            ("getown", new GetOwn(99)),
            ("getown-ex", new GetOwnEx(99)),
            ("setsig", new SetSig(99, Sig.SIGIO)),
            ("getsig", new GetSig(99)),
            ("setfd", new SetCloexec(99, true)),
            ("ftruncate", new Ftruncate(99, 0)),
            ("write", new Write(99)),
            ("write-read-only", new Write("r")),
            ("mmap", new Mmap(99)),
            ("sendmsg-socket", new SendMsg(99, [])),
            ("sendmsg-carried", new SendMsg("ab", [99])),
            ("recvmsg", new RecvMsg(99, [])),
            ("getlease-o-path", new GetLease("p")),
            ("setsig-o-path", new SetSig("p", Sig.SIGIO)),
            ("closed-again", new Close("gone")),
        };
        var program = new List<Step>
        {
            S.Open("/data", O_RDONLY, "r"),
            S.Open("/data", O_PATH, "p"),
            S.Open("/data", O_RDONLY, "gone"),
            S.Close("gone"),
        };
        program.AddRange(calls.Select(c => S.Do(c.Call, c.Label)));
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", [.. program])
            .Process("B", S.Sleep(TimeSpan.FromSeconds(1)))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        foreach (var (label, _) in calls)
        {
            var step = run.Step("A", label);
            Assert.True(step.Errno == nameof(Errno.EBADF) && step.Value == -1, $"{label}: {step}");
        }
    }

    [Fact]
    public void Bad_arguments_return_EINVAL()
    {
        var calls = new (string Label, Syscall Call)[]
        {
            ("setsig-65", new SetSig("f", 65)),
            ("setsig-negative", new SetSig("f", -1)),
            ("setown-ex-kind", new SetOwnEx("f", (OwnerKind)7, "A")),
            ("sigaction-kill", new Sigaction(Sig.SIGKILL, SignalAction.Ignore)),
            ("sigaction-stop-default", new Sigaction(Sig.SIGSTOP, SignalAction.Default)),
            ("sigaction-0", new Sigaction(0, SignalAction.Ignore)),
            ("sigaction-65", new Sigaction(65, SignalAction.Ignore)),
            ("sigprocmask-how", new Sigprocmask((MaskHow)9, [Sig.SIGIO])),
            ("sigprocmask-signal", new Sigprocmask(MaskHow.SIG_BLOCK, [65])),
            ("kill-65", new Kill("A", 65)),
            ("truncate-negative", new Truncate("/data", -1)),
            ("truncate-negative-missing", new Truncate("/missing", -1)), // do_sys_truncate checks the length before the lookup
            ("ftruncate-negative", new Ftruncate("w", -1)),
            ("ftruncate-read-only", new Ftruncate("f", 0)),
            ("ftruncate-negative-bad-fd", new Ftruncate(99, -1)), // do_sys_ftruncate checks the length before the fd
            ("setlease-socket", new SetLease("ab", (int)LeaseType.F_RDLCK)),
        };
        var program = new List<Step> { S.Open("/data", O_RDONLY, "f"), S.Open("/data", O_WRONLY, "w") };
        program.AddRange(calls.Select(c => S.Do(c.Call, c.Label)));
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", [.. program])
            .Process("B", S.Sleep(TimeSpan.FromSeconds(1)))
            .Socket("ab", "A", "B")
            .Build();

        var run = fixture.Run(scenario);

        foreach (var (label, _) in calls)
        {
            var step = run.Step("A", label);
            Assert.True(step.Errno == nameof(Errno.EINVAL) && step.Value == -1, $"{label}: {step}");
        }
    }

    [Fact]
    public void Naming_a_process_or_file_that_does_not_exist_returns_ESRCH_or_ENOENT_and_a_non_socket_ENOTSOCK()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A",
                S.Open("/data", O_RDONLY, "f"),
                S.Do(new Kill("nobody", Sig.SIGTERM), "kill"),
                S.Do(new Kill(9999, Sig.SIGTERM), "kill-pid"),
                S.Do(new SetOwn("f", 9999), "setown"),
                S.Do(new SetOwnEx("f", OwnerKind.F_OWNER_TID, "A.nothread"), "setown-tid"),
                S.Do(new Setpgid("nobody"), "setpgid"),
                S.Open("/missing", O_RDONLY, "m", "open"),
                S.Open("/proc/9999/fd/3", O_RDONLY, "m", "open-proc-pid"),
                S.Open("/proc/self/fd/42", O_RDONLY, "m", "open-proc-fd"),
                S.Do(new Truncate("/missing"), "truncate"),
                S.Do(new Stat("/missing"), "stat"),
                S.Do(new RecvMsg("f", []), "recvmsg"))
            .Build();

        var run = fixture.Run(scenario);

        foreach (var label in new[] { "kill", "kill-pid", "setown", "setown-tid", "setpgid" })
            Assert.True(run.Step("A", label).Errno == nameof(Errno.ESRCH), $"{label}: {run.Step("A", label)}");
        foreach (var label in new[] { "open", "open-proc-pid", "open-proc-fd", "truncate", "stat" })
            Assert.True(run.Step("A", label).Errno == nameof(Errno.ENOENT), $"{label}: {run.Step("A", label)}");
        Assert.Equal(nameof(Errno.ENOTSOCK), run.Step("A", "recvmsg").Errno);
    }

    [Fact]
    public void Process_Execute_runs_calls_on_a_live_process_and_answers_ESRCH_once_the_process_has_exited()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("Gone", S.Exit())
            .Build();
        scenario = scenario with
        {
            Processes = scenario.Processes.Add(new EmulatedKernel.Spawn("Idle", ImmutableArray<Step>.Empty, ExitAtEnd: false)),
        };
        var script = new Script()
            .Execute(TimeSpan.FromSeconds(1), "Idle", new Open("/data", O_RDONLY), "open")
            .Execute(TimeSpan.FromSeconds(2), "Idle", new SetLease(3, (int)LeaseType.F_RDLCK), "lease")
            .Execute(TimeSpan.FromSeconds(3), "Idle", new GetLease(3), "getlease")
            .Execute(TimeSpan.FromSeconds(4), "Idle", new SetLease(3, 42), "lease-42")
            .Execute(TimeSpan.FromSeconds(5), "Idle", new Close(42), "close-42")
            .Execute(TimeSpan.FromSeconds(6), "Idle", new GetOwnEx(3), "getown-ex")
            .Execute(TimeSpan.FromSeconds(7), "Gone", new GetLease(3), "gone-getlease")
            .Execute(TimeSpan.FromSeconds(8), "Gone", new Open("/data", O_RDONLY), "gone-open")
            .Execute(TimeSpan.FromSeconds(9), "Gone", new Exit(), "gone-exit");

        var run = fixture.Run(scenario, script);

        Assert.Equal((3L, (string?)null), Answer(run, "open"));
        Assert.Equal((0L, (string?)null), Answer(run, "lease"));
        Assert.Equal(((long)LeaseType.F_RDLCK, (string?)null), Answer(run, "getlease"));
        Assert.Equal((-1L, nameof(Errno.EINVAL)), Answer(run, "lease-42"));
        Assert.Equal((-1L, nameof(Errno.EBADF)), Answer(run, "close-42"));
        Assert.Equal([(long)OwnerKind.F_OWNER_PID, run.Pid("Idle")], run.Executed("getown-ex").Values);
        Assert.True(run.Exited("Gone"));
        Assert.Equal((-1L, nameof(Errno.ESRCH)), Answer(run, "gone-getlease"));
        Assert.Equal((-1L, nameof(Errno.ESRCH)), Answer(run, "gone-open"));
        Assert.Equal((-1L, nameof(Errno.ESRCH)), Answer(run, "gone-exit"));
    }

    [Fact]
    public void Process_Execute_answers_execve_exit_thread_and_exit_too_and_later_calls_run_on_a_living_thread()
    {
        var scenario = new ScenarioBuilder().File("/data").Build();
        scenario = scenario with
        {
            Processes = [
                new EmulatedKernel.Spawn("Idle", ImmutableArray<Step>.Empty, ExitAtEnd: false),
                new EmulatedKernel.Spawn("Threads", [S.Do(new SpawnThread("t", [S.Sleep(TimeSpan.FromSeconds(3)), S.WaitFor("Threads", "never")]), "spawn")], ExitAtEnd: false),
            ],
        };
        var script = new Script()
            .Execute(TimeSpan.FromSeconds(1), "Idle", new Open("/data", O_RDONLY), "open")
            .Execute(TimeSpan.FromSeconds(2), "Idle", new Execve([]), "execve")
            .Execute(TimeSpan.FromSeconds(3), "Idle", new GetLease(3), "after-execve")
            .Execute(TimeSpan.FromSeconds(4), "Idle", new Exit(7), "exit")
            .Execute(TimeSpan.FromSeconds(5), "Idle", new GetLease(3), "after-exit")
            .Execute(TimeSpan.FromSeconds(1), "Threads", new ExitThread(), "main-exits")
            .Execute(TimeSpan.FromSeconds(2), "Threads", new Open("/data", O_RDONLY), "open-on-t");

        var run = fixture.Run(scenario, script);

        Assert.Equal((3L, (string?)null), Answer(run, "open"));
        Assert.Equal((0L, (string?)null), Answer(run, "execve"));
        Assert.Equal(((long)LeaseType.F_UNLCK, (string?)null), Answer(run, "after-execve")); // the fd survived exec
        Assert.Equal((-1L, nameof(Errno.ESRCH)), Answer(run, "exit")); // exit never returns: the process is gone
        Assert.Equal(7, run.ExitOf("Idle").Status);
        Assert.Equal((-1L, nameof(Errno.ESRCH)), Answer(run, "after-exit"));
        Assert.Equal((0L, (string?)null), Answer(run, "main-exits"));
        var open = run.Executed("open-on-t");
        Assert.Equal((3L, (string?)null, TimeSpan.FromSeconds(3)), (open.Value, open.Errno, open.At)); // after t's sleep step
        Assert.Equal("Threads.t", run.Where("syscall.exit", "name", "open").Single(e => (string?)e.Event["process"] == "Threads").Event["thread"]);
    }

    [Fact]
    public void Process_Execute_blocked_in_a_breaking_open_answers_ESRCH_when_the_process_is_killed()
    {
        var scenario = new ScenarioBuilder()
            .File("/data")
            .Process("A", 0, Acts.Catches(Sig.SIGIO),
                S.Open("/data", O_RDONLY, "f"),
                S.Lease("f", LeaseType.F_RDLCK, "lease"),
                S.Sleep(Long))
            .Process("K",
                S.Sleep(TimeSpan.FromSeconds(5)),
                S.Do(new Kill("Idle", Sig.SIGKILL), "kill"))
            .Build();
        scenario = scenario with
        {
            Processes = scenario.Processes.Add(new EmulatedKernel.Spawn("Idle", ImmutableArray<Step>.Empty, ExitAtEnd: false)),
        };
        var script = new Script()
            .Execute(TimeSpan.FromSeconds(1), "Idle", new Open("/data", O_RDWR), "open")
            .Execute(TimeSpan.FromSeconds(6), "Idle", new GetLease(3), "after");

        var run = fixture.Run(scenario, script);

        var open = run.Executed("open");
        Assert.Equal((-1L, nameof(Errno.ESRCH), TimeSpan.FromSeconds(5)), (open.Value, open.Errno, open.At));
        Assert.Equal("SIGKILL", run.ExitOf("Idle").Signal);
        Assert.Equal(nameof(Errno.ESRCH), run.Executed("after").Errno);
        Assert.Empty(run.Where("breaker.unblocked", "how", "no conflict")); // the killed breaker's wait was dropped
    }

    private static (long Value, string? Errno) Answer(TraceView run, string tag)
    {
        var answer = run.Executed(tag);
        return (answer.Value, answer.Errno);
    }
}
