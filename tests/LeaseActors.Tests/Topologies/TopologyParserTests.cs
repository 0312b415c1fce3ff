using LeaseActors.Chaos;
using System.Collections.Immutable;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Topologies;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Tests.Topologies;

public sealed class TopologyParserTests
{
    private static Topology Parse(string text, string source = "test.conf") => TopologyParser.Parse(text, source);

    private static ImmutableArray<Step> Program(Topology topology, string process) =>
        topology.Scenario.Processes.Single(p => p.Name == process).Program;

    private static T Call<T>(Step step) where T : Syscall => Assert.IsType<T>(Assert.IsType<CallStep>(step).Call);

    [Fact]
    public void Header_values_name_the_topology_and_set_policy_horizon_and_sysctls()
    {
        var topology = Parse("""
            name = lbt-zero
            description = "A break that never times out."
            policy = rfc-v2
            horizon = 2h
            sysctl { lease-break-time = 0, leases-enable = false }
            """);

        Assert.Equal("lbt-zero", topology.Name);
        Assert.Equal("test.conf", topology.Source);
        Assert.Equal("A break that never times out.", topology.Description);
        Assert.Equal("rfc-v2", topology.Policy);
        Assert.Equal(TimeSpan.FromHours(2), topology.Horizon);
        Assert.Equal(TimeSpan.Zero, topology.Scenario.Options.LeaseBreakTime);
        Assert.False(topology.Scenario.Options.LeasesEnable);
    }

    [Fact]
    public void Without_name_or_description_the_file_name_and_the_header_comment_are_used()
    {
        var topology = Parse("""

            # First line of the story.
            # Second line.
            horizon = 10m
            # not part of it
            """, "/some/dir/my-case.conf");

        Assert.Equal("my-case", topology.Name);
        Assert.Equal("First line of the story.\nSecond line.", topology.Description);
        Assert.Null(topology.Policy);
    }

    [Fact]
    public void Files_become_CreateFile_with_path_type_size_owner_and_dax()
    {
        var topology = Parse("""
            files {
              data { path = /mnt/pmem/data, size = 1MiB, owner = 1000, dax = true }
              dir { path = /mnt/pmem, type = directory }
              fifo { path = /run/fifo, type = pipe, size = 64K }
              plain { path = /tmp/plain, size = 2.5kB }
            }
            """);

        Assert.Equal(
            new EmulatedKernel.CreateFile[]
            {
                new("/mnt/pmem/data", FileType.Regular, 1 << 20, 1000, Dax: true),
                new("/mnt/pmem", FileType.Directory, 4096, 0),
                new("/run/fifo", FileType.Pipe, 64 << 10, 0),
                new("/tmp/plain", FileType.Regular, 2500, 0),
            },
            topology.Scenario.Files.ToArray());
    }

    [Fact]
    public void Sockets_connect_two_processes_and_name_the_end_each_holds()
    {
        var topology = Parse("""
            sockets { ab = [A, B], bc = [B, C] }
            processes {
              A.program = [ { sendmsg = ab, fds = [] } ]
              B.program = [ { recvmsg = ab }, { sendmsg = bc } ]
              C.program = [ { recvmsg = bc } ]
            }
            """);

        Assert.Equal(new EmulatedKernel.ConnectSocket[] { new("ab", "A", "B"), new("bc", "B", "C") }, topology.Scenario.Sockets.ToArray());
        Assert.Equal(FdRef.Named("ab"), Call<SendMsg>(Program(topology, "A")[0]).Socket);
        Assert.Equal(FdRef.Named("bc"), Call<SendMsg>(Program(topology, "B")[1]).Socket);
    }

    [Fact]
    public void Processes_get_uid_handlers_ignored_and_blocked_signals_in_file_order()
    {
        var topology = Parse("""
            processes {
              A { uid = 1000, ignore = [SIGUSR1], block = [SIGUSR2, SIGRTMIN+1] }
              B {
                handlers {
                  SIGIO = { takes = 5ms, restart = true, siginfo = false, steps = [ { label = in-handler } ] }
                  SIGRTMIN+2 = { }
                }
              }
            }
            """);

        var a = topology.Scenario.Processes[0];
        var b = topology.Scenario.Processes[1];
        Assert.Equal(("A", 1000), (a.Name, a.Uid));
        Assert.Equal(SignalAction.Ignore, a.Actions![Sig.SIGUSR1]);
        Assert.Equal([Sig.SIGUSR2, Sig.SIGRTMIN + 1], a.Blocked.ToArray());
        Assert.True(a.ExitAtEnd);
        Assert.Equal(("B", 0), (b.Name, b.Uid));
        var io = Assert.IsType<SignalAction.Handle>(b.Actions![Sig.SIGIO]).Handler;
        Assert.Equal((TimeSpan.FromMilliseconds(5), true, false), (io.Takes, io.Restart, io.SigInfo));
        Assert.Equal(new LabelStep("in-handler"), Assert.Single(io.Steps));
        var rt = Assert.IsType<SignalAction.Handle>(b.Actions[Sig.SIGRTMIN + 2]).Handler;
        Assert.Equal((TimeSpan.Zero, false, true), (rt.Takes, rt.Restart, rt.SigInfo));
        Assert.Empty(rt.Steps);
    }

    [Fact]
    public void File_and_fd_steps_parse_into_their_syscalls()
    {
        var steps = Program(Parse("""
            files.data { path = /mnt/pmem/data }
            processes.A.program = [
              { open = data, flags = [O_RDWR, O_NONBLOCK, O_CLOEXEC], as = f, label = opened }
              { open = /mnt/pmem/new, flags = [O_WRONLY, O_CREAT, O_TRUNC], as = n }
              { open = data, as = r }
              { open = data, flags = O_PATH, as = p }
              { dup = f, as = f2 }
              { close = f2 }
              { stat = data }
              { stat = /mnt/pmem/new }
              { truncate = data, length = 1MiB }
              { truncate = data }
              { ftruncate = f, length = 4096 }
              { write = f, bytes = 512 }
              { write = f }
              { unlink = /mnt/pmem/new }
              { rename = data, to = /mnt/pmem/renamed }
              { link = /mnt/pmem/renamed, to = data }
              { chmod = data, mode = 0644 }
              { chown = data, uid = 1000 }
              { utimensat = data }
              { mmap = f, as = m }
              { mmap = r, shared = false }
              { munmap = m }
            ]
            """), "A");

        Steps(steps,
            new CallStep(new Open("/mnt/pmem/data", O_RDWR | O_NONBLOCK | O_CLOEXEC, "f")) { Label = "opened" },
            new CallStep(new Open("/mnt/pmem/new", O_WRONLY | O_CREAT | O_TRUNC, "n")),
            new CallStep(new Open("/mnt/pmem/data", O_RDONLY, "r")),
            new CallStep(new Open("/mnt/pmem/data", O_PATH, "p")),
            new CallStep(new Dup("f", "f2")),
            new CallStep(new Close("f2")),
            new CallStep(new Stat("/mnt/pmem/data")),
            new CallStep(new Stat("/mnt/pmem/new")),
            new CallStep(new Truncate("/mnt/pmem/data", 1 << 20)),
            new CallStep(new Truncate("/mnt/pmem/data", 0)),
            new CallStep(new Ftruncate("f", 4096)),
            new CallStep(new Write("f", 512)),
            new CallStep(new Write("f", 1)),
            new CallStep(new Unlink("/mnt/pmem/new")),
            new CallStep(new Rename("/mnt/pmem/data", "/mnt/pmem/renamed")),
            new CallStep(new Link("/mnt/pmem/renamed", "/mnt/pmem/data")),
            new CallStep(new Chmod("/mnt/pmem/data", Convert.ToInt32("644", 8))),
            new CallStep(new Chown("/mnt/pmem/data", 1000)),
            new CallStep(new Utimensat("/mnt/pmem/data")),
            new CallStep(new Mmap("f", true, "m")),
            new CallStep(new Mmap("r", false, null)),
            new CallStep(new Munmap("m")));
    }

    [Fact]
    public void Fcntl_steps_parse_every_command_with_its_arguments()
    {
        var steps = Program(Parse("""
            files.data { path = /data }
            processes {
              A.program = [
                { open = data, as = f }
                { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK }
                { fcntl = F_SETLEASE, fd = f, arg = F_WRLCK }
                { fcntl = F_SETLEASE, fd = f, arg = F_UNLCK }
                { fcntl = F_SETLEASE, fd = f, arg = 16, label = layout }
                { fcntl = F_GETLEASE, fd = f }
                { fcntl = F_SETOWN, fd = f, owner = B }
                { fcntl = F_SETOWN, fd = f, owner = -B }
                { fcntl = F_SETOWN, fd = f, owner = 0 }
                { fcntl = F_SETOWN_EX, fd = f, type = F_OWNER_TID, owner = A.worker }
                { fcntl = F_SETOWN_EX, fd = f, type = F_OWNER_PID, owner = B }
                { fcntl = F_SETOWN_EX, fd = f, type = F_OWNER_PGRP, owner = -B }
                { fcntl = F_GETOWN, fd = f }
                { fcntl = F_GETOWN_EX, fd = f }
                { fcntl = F_SETSIG, fd = f, signal = SIGRTMIN+1 }
                { fcntl = F_SETSIG, fd = f, signal = 0 }
                { fcntl = F_GETSIG, fd = f }
                { fcntl = F_SETFD, fd = f, cloexec = true }
                { thread = worker, program = [ { sleep = 1s } ] }
              ]
              B.program = []
            }
            """), "A");

        Steps(steps[..18],
            new CallStep(new Open("/data", O_RDONLY, "f")),
            new CallStep(new SetLease("f", (int)LeaseType.F_RDLCK)),
            new CallStep(new SetLease("f", (int)LeaseType.F_WRLCK)),
            new CallStep(new SetLease("f", (int)LeaseType.F_UNLCK)),
            new CallStep(new SetLease("f", 16)) { Label = "layout" },
            new CallStep(new GetLease("f")),
            new CallStep(new SetOwn("f", ProcessRef.Named("B"))),
            new CallStep(new SetOwn("f", ProcessRef.GroupOf("B"))),
            new CallStep(new SetOwn("f", null)),
            new CallStep(new SetOwnEx("f", OwnerKind.F_OWNER_TID, ProcessRef.Named("A.worker"))),
            new CallStep(new SetOwnEx("f", OwnerKind.F_OWNER_PID, ProcessRef.Named("B"))),
            new CallStep(new SetOwnEx("f", OwnerKind.F_OWNER_PGRP, ProcessRef.GroupOf("B"))),
            new CallStep(new GetOwn("f")),
            new CallStep(new GetOwnEx("f")),
            new CallStep(new SetSig("f", Sig.SIGRTMIN + 1)),
            new CallStep(new SetSig("f", 0)),
            new CallStep(new GetSig("f")),
            new CallStep(new SetCloexec("f", true)));
    }

    [Fact]
    public void Process_steps_parse_fork_thread_execve_exit_and_credentials()
    {
        var topology = Parse("""
            files.data { path = /data }
            processes.P.program = [
              { open = data, as = f }
              { setpgid = 0 }
              { setuid = 1000 }
              { setfsuid = 0 }
              { cap-lease = false }
              { fork = child, label = forked, program = [
                  { setpgid = P }
                  { fcntl = F_SETOWN, fd = f, owner = P }
                  { kill = -P, signal = SIGTERM }
                  { exit = 3 }
              ] }
              { thread = t1, program = [ { close = f }, { exit-thread = true } ] }
              { wait-for = child.exited }
              { kill = child, signal = SIGKILL }
              { execve = [ { close = f }, { exit = 0 } ] }
            ]
            """);
        var steps = Program(topology, "P");

        Steps(steps[..5],
            new CallStep(new Open("/data", O_RDONLY, "f")),
            new CallStep(new Setpgid(null)),
            new CallStep(new Setuid(1000)),
            new CallStep(new Setfsuid(0)),
            new CallStep(new SetCapLease(false)));
        var fork = Call<Fork>(steps[5]);
        Assert.Equal(("child", "forked"), (fork.ChildName, steps[5].Label));
        Steps(fork.ChildProgram,
            new CallStep(new Setpgid(ProcessRef.Named("P"))),
            new CallStep(new SetOwn("f", ProcessRef.Named("P"))),
            new CallStep(new Kill(ProcessRef.GroupOf("P"), Sig.SIGTERM)),
            new CallStep(new Exit(3)));
        var thread = Call<SpawnThread>(steps[6]);
        Assert.Equal("t1", thread.ThreadName);
        Steps(thread.Program, new CallStep(new Close("f")), new CallStep(new ExitThread()));
        Assert.Equal(new WaitForStep("child", "exited"), steps[7]);
        Assert.Equal(new CallStep(new Kill(ProcessRef.Named("child"), Sig.SIGKILL)), steps[8]);
        Steps(Call<Execve>(steps[9]).Program, new CallStep(new Close("f")), new CallStep(new Exit(0)));
        Assert.Single(topology.Scenario.Processes); // a forked child is created by its fork step, not spawned
    }

    [Fact]
    public void Socket_and_signal_steps_parse_and_bind_the_names_they_give()
    {
        var steps = Program(Parse("""
            sockets.ab = [A, B]
            processes {
              A.program = [
                { socketpair = true, as = [x, y] }
                { sendmsg = ab, fds = [x, y], label = sent }
                { sigaction = SIGIO, action = ignore }
                { sigaction = SIGUSR1, action = default }
                { sigaction = SIGUSR2, handler = { takes = 1ms, restart = true, steps = [ { close = x }, { fault = "handler crashed" } ] } }
                { sigprocmask = SIG_BLOCK, signals = [SIGIO, SIGUSR1] }
                { sigprocmask = SIG_SETMASK, signals = [] }
                { sleep = 2.5s }
                { label = done }
              ]
              B.program = [ { recvmsg = ab, fds = [p, q] }, { close = q } ]
            }
            """), "A");

        var pair = Call<SocketPair>(steps[0]);
        Assert.Equal(("x", "y"), (pair.As0, pair.As1));
        var send = Call<SendMsg>(steps[1]);
        Assert.Equal([FdRef.Named("x"), FdRef.Named("y")], send.Fds.ToArray());
        Assert.Equal("sent", steps[1].Label);
        Assert.Equal(new CallStep(new Sigaction(Sig.SIGIO, SignalAction.Ignore)), steps[2]);
        Assert.Equal(new CallStep(new Sigaction(Sig.SIGUSR1, SignalAction.Default)), steps[3]);
        var handler = Assert.IsType<SignalAction.Handle>(Call<Sigaction>(steps[4]).Action).Handler;
        Assert.Equal((TimeSpan.FromMilliseconds(1), true), (handler.Takes, handler.Restart));
        Steps(handler.Steps, new CallStep(new Close("x")), new FaultStep("handler crashed"));
        var mask = Call<Sigprocmask>(steps[5]);
        Assert.Equal(MaskHow.SIG_BLOCK, mask.How);
        Assert.Equal([Sig.SIGIO, Sig.SIGUSR1], mask.Signals.ToArray());
        Assert.Empty(Call<Sigprocmask>(steps[6]).Signals);
        Assert.Equal(new SleepStep(TimeSpan.FromSeconds(2.5)), steps[7]);
        Assert.Equal(new LabelStep("done"), steps[8]);
    }

    [Fact]
    public void Received_fds_are_named_by_recvmsg_and_usable_afterwards()
    {
        var topology = Parse("""
            sockets.ab = [A, B]
            processes {
              A.program = [ { socketpair = {}, as = [x, y] }, { sendmsg = ab, fds = [y] } ]
              B.program = [ { recvmsg = ab, fds = [s] }, { sendmsg = s, fds = [] } ]
            }
            """);

        var recv = Call<RecvMsg>(Program(topology, "B")[0]);
        Assert.Equal(["s"], recv.As.ToArray());
        Assert.Equal(FdRef.Named("s"), Call<SendMsg>(Program(topology, "B")[1]).Socket);
    }

    [Fact]
    public void Handlers_may_use_any_fd_the_process_binds_and_threads_fds_their_siblings_bind()
    {
        var topology = Parse("""
            files.data { path = /data }
            processes.A {
              program = [
                { thread = t, program = [ { wait-for = A.opened }, { close = late } ] }
                { open = data, as = late, label = opened }
              ]
              handlers.SIGIO = { steps = [ { fcntl = F_SETLEASE, fd = late, arg = F_UNLCK } ] }
            }
            """);

        Assert.Equal(2, Program(topology, "A").Length);
    }

    [Fact]
    public void Expect_blocks_parse_unkeyed_and_policy_keyed_expectations()
    {
        var topology = Parse("""
            policy = rfc-v1
            files.data { path = /data }
            processes {
              A.program = [ { open = data, as = f, label = first }, { fcntl = F_GETLEASE, fd = f, label = get } ]
              B.program = [ { open = data, flags = [O_RDWR, O_NONBLOCK], label = try } ]
            }
            expect {
              verdict = late
              findings = [h3, H2]
              A.first { result = ok, blocked = 0 }
              A.get { value = 2 }
              A.signals = [SIGIO, IO]
              B.try { errno = EWOULDBLOCK }
              rfc-v2 {
                verdict = refused
                B.try { completes = false }
              }
              mainline { }
            }
            """);

        var unkeyed = topology.Expectations[Expectation.Unkeyed];
        Assert.Equal("late", unkeyed.Verdict);
        Assert.Equal(["H3", "H2"], unkeyed.Findings!.Value.ToArray());
        Assert.Equal(
            new StepExpectation[]
            {
                new("A", "first") { Ok = true, Blocked = TimeSpan.Zero },
                new("A", "get") { Ok = true, Value = 2 },
                new("B", "try") { Ok = false, Errno = "EAGAIN" },
            },
            unkeyed.Steps.ToArray());
        Assert.Equal(["SIGIO", "SIGIO"], unkeyed.Signals["A"].ToArray());
        var v2 = topology.Expectations["rfc-v2"];
        Assert.Equal("refused", v2.Verdict);
        Assert.Null(v2.Findings);
        Assert.Equal(new StepExpectation("B", "try") { Completes = false }, Assert.Single(v2.Steps));
        Assert.Null(topology.Expectations["mainline"].Verdict);
        Assert.Same(unkeyed, topology.ExpectationFor("rfc-v1"));
        Assert.Same(v2, topology.ExpectationFor("rfc-v2"));
        Assert.Null(topology.ExpectationFor("odp"));
    }

    [Fact]
    public void An_expect_block_with_only_policy_blocks_has_no_unkeyed_expectation()
    {
        var topology = Parse("""
            processes.A.program = [ { label = here } ]
            expect.odp { verdict = clean }
            """);

        Assert.Equal(["odp"], topology.Expectations.Keys.ToArray());
    }

    [Fact]
    public void The_chaos_block_becomes_the_topologys_chaos_plan()
    {
        var topology = Parse("""
            processes.A.program = []
            chaos {
              delays = [ { at = signal-delivery, process = A, signal = SIGIO, distribution = uniform, min = 1ms, max = 5ms } ]
              crashes = [ { process = A, at = random } ]
              drops = [ { signal = SIGIO, probability = 0.25 } ]
            }
            """);

        var plan = topology.ChaosPlan;
        var delay = Assert.Single(plan.Delays);
        Assert.Equal(new DelayRule(ChaosPoint.SignalDelivery, new Distribution.Uniform(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)), "A", Sig.SIGIO), delay);
        Assert.Equal(new CrashRule("A", null, AtRandomStep: true), Assert.Single(plan.Crashes));
        Assert.Equal(new DropRule(0.25, null, Sig.SIGIO), Assert.Single(plan.Drops));
        Assert.True(Parse("processes.A.program = []").ChaosPlan.IsEmpty);
    }

    [Theory]
    [InlineData("chaos.delays = [ { at = soon, distribution = fixed, value = 1ms } ]", "chaos.delays[0].at")]
    [InlineData("chaos.delays = [ { at = handler, distribution = fixed } ]", "chaos.delays[0]")]
    [InlineData("chaos.delays = [ { at = handler, distribution = fixed, value = 1ms, mean = 2ms } ]", "chaos.delays[0].mean")]
    [InlineData("chaos.crashes = [ { process = Z, at = random } ]", "chaos.crashes[0].process")]
    [InlineData("chaos.drops = [ { probability = 1.5 } ]", "chaos.drops[0].probability")]
    [InlineData("chaos.delays = [ { at = socket, signal = SIGIO, distribution = fixed, value = 1ms } ]", "chaos.delays[0].signal")]
    public void A_bad_chaos_block_names_the_path(string chaos, string path)
    {
        var error = Assert.Throws<TopologyException>(() => Parse("processes.A.program = []\n" + chaos));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Durations_and_sizes_accept_the_documented_units()
    {
        TimeSpan Sleep(string text) => Assert.IsType<SleepStep>(Program(Parse($"processes.A.program = [ {{ sleep = \"{text}\" }} ]"), "A")[0]).Duration;
        long Size(string text) => Parse($"files.f {{ path = /f, size = \"{text}\" }}").Scenario.Files[0].Size;

        Assert.Equal(TimeSpan.FromSeconds(45), Sleep("45s"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), Sleep("5ms"));
        Assert.Equal(TimeSpan.FromMinutes(10), Sleep("10m"));
        Assert.Equal(TimeSpan.FromMinutes(10), Sleep("10 minutes"));
        Assert.Equal(TimeSpan.FromHours(1), Sleep("1h"));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), Sleep("2.5s"));
        Assert.Equal(TimeSpan.FromTicks(10), Sleep("1us"));
        Assert.Equal(TimeSpan.FromTicks(2), Sleep("200ns"));
        Assert.Equal(TimeSpan.FromDays(2), Sleep("2d"));
        Assert.Equal(TimeSpan.Zero, Sleep("0"));
        Assert.Equal(4096, Size("4096"));
        Assert.Equal(1L << 20, Size("1MiB"));
        Assert.Equal(1L << 20, Size("1M"));
        Assert.Equal(1_000_000, Size("1MB"));
        Assert.Equal(3L << 30, Size("3 GiB"));
        Assert.Equal(1536, Size("1.5KiB"));
    }

    [Fact]
    public void The_example_of_DESIGN_section_5_parses_into_the_seed_scenario()
    {
        var topology = Parse(TopologyRunTests.DesignExample, "design-example.conf");

        Assert.Equal("The seed email's scenario: A's lease outlives A, and the break signal reaches nobody.", topology.Description);
        Assert.Equal(new EmulatedKernel.CreateFile("/mnt/pmem/data", FileType.Regular, 1 << 20, 0), Assert.Single(topology.Scenario.Files));
        Assert.Equal(["A", "B", "C"], topology.Scenario.Processes.Select(p => p.Name).ToArray());
        Steps(Program(topology, "C"),
            new WaitForStep("A", "exited"),
            new CallStep(new Open("/mnt/pmem/data", O_RDWR, "w")) { Label = "breaker" });
        var expectation = topology.Expectations[Expectation.Unkeyed];
        Assert.Equal(new StepExpectation("C", "breaker") { Ok = true, Blocked = TimeSpan.FromSeconds(45) }, Assert.Single(expectation.Steps));
        Assert.Empty(expectation.Signals["B"]);
    }

    [Fact]
    public void The_built_in_seed_email_topology_parses_with_its_expectations()
    {
        var topology = BuiltIn.Default;

        Assert.Same(BuiltIn.SeedEmail, topology);
        Assert.Equal("seed-email", topology.Name);
        Assert.Equal(BuiltIn.SeedEmailSource, topology.Source);
        Assert.StartsWith("The seed email's scenario", topology.Description, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(45), topology.Scenario.Options.LeaseBreakTime);
        var expectation = topology.ExpectationFor("mainline")!;
        Assert.Equal("late", expectation.Verdict);
        Assert.Contains("H3", expectation.Findings!.Value);
        Assert.Equal(new StepExpectation("C", "breaker") { Ok = true, Blocked = TimeSpan.FromSeconds(45) }, Assert.Single(expectation.Steps));
        Assert.Empty(expectation.Signals["B"]);
    }

    [Fact]
    public void ParseFile_reads_a_file_and_names_the_topology_after_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"leaseactors-parsefile-{Environment.ProcessId}.conf");
        File.WriteAllText(path, "processes.A.program = [ { sleep = 1s } ]");
        try
        {
            var topology = TopologyParser.ParseFile(path);
            Assert.Equal(Path.GetFileNameWithoutExtension(path), topology.Name);
            Assert.Equal(path, topology.Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Steps(ImmutableArray<Step> actual, params Step[] expected) => Assert.Equal(expected, actual.ToArray());
}
