using LeaseActors.Topologies;

namespace LeaseActors.Tests.Topologies;

/// <summary>Topologies parsed from text and run in the simulation: the parser's output is a scenario the kernel runs as written.</summary>
public sealed class TopologyRunTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    /// <summary>The illustration of DESIGN.md §5, verbatim.</summary>
    public const string DesignExample = """
        # The seed email's scenario: A's lease outlives A, and the break signal reaches nobody.
        sysctl.lease-break-time = 45s
        files.data { path = /mnt/pmem/data, size = 1MiB }
        sockets.ab = [A, B]
        processes {
          A.program = [
            { open = data, flags = [O_RDONLY], as = f }
            { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK }
            { sendmsg = ab, fds = [f] }
            { exit = 0 }
          ]
          B.program = [ { recvmsg = ab, fds = [g] }, { sleep = 10m } ]
          B.handlers.SIGIO = { takes = 5ms, steps = [ { fcntl = F_SETLEASE, fd = g, arg = F_UNLCK } ] }
          C.program = [
            { wait-for = A.exited }
            { open = data, flags = [O_RDWR], as = w, label = breaker }
          ]
        }
        expect {
          C.breaker { result = ok, blocked = 45s }
          B.signals = []
        }
        """;

    [Fact]
    public void The_DESIGN_example_runs_C_blocks_the_whole_lease_break_time_and_B_gets_no_signal()
    {
        var run = fixture.Run(TopologyParser.Parse(DesignExample, "design-example.conf").Scenario);

        var breaker = run.Step("C", "breaker");
        Assert.Null(breaker.Errno);
        Assert.Equal(TimeSpan.FromSeconds(45), breaker.Took);
        Assert.Empty(run.Signals("B"));
    }

    [Fact]
    public void The_built_in_seed_email_topology_meets_its_own_expectations()
    {
        var topology = BuiltIn.Default;
        var run = fixture.Run(topology.Scenario);
        var expectation = topology.ExpectationFor("mainline")!;

        foreach (var step in expectation.Steps)
        {
            var (_, errno, took) = run.Step(step.Process, step.Label);
            Assert.Equal(step.Ok, errno is null);
            Assert.Equal(step.Blocked, took);
        }
        foreach (var (process, signals) in expectation.Signals)
            Assert.Equal(signals.ToArray(), run.Signals(process).Select(s => s.Signal).ToArray());
        Assert.Equal(expectation.Findings!.Value.Order(StringComparer.Ordinal), run.Findings().Distinct().Order(StringComparer.Ordinal));
        Assert.False(run.Completed("B", "released"));
    }

    [Theory]
    [InlineData("block = [SIGUSR1]", true)]
    [InlineData("block = []", false)]
    public void A_signal_blocked_from_the_start_does_not_kill_the_process_and_an_unblocked_one_does(string block, bool survives)
    {
        var topology = TopologyParser.Parse($$"""
            processes {
              A { {{block}}, program = [ { sleep = 1s }, { label = survived } ] }
              B.program = [ { kill = A, signal = SIGUSR1 } ]
            }
            """, "block.conf");

        var run = fixture.Run(topology.Scenario);

        Assert.Equal(survives, run.Events("label").Any(e => (string?)e.Event["process"] == "A" && (string?)e.Event["label"] == "survived"));
    }

    [Fact]
    public void A_forked_child_and_a_thread_run_what_the_topology_gives_them()
    {
        var topology = TopologyParser.Parse("""
            files.data { path = /data }
            processes {
              P.program = [
                { open = data, as = f }
                { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK, label = leased }
                { fork = child, program = [ { fcntl = F_GETLEASE, fd = f, label = seen-by-child } ] }
                { thread = t, program = [ { fcntl = F_GETLEASE, fd = f, label = seen-by-thread } ] }
                { wait-for = child.exited }
                { sleep = 1s }
              ]
            }
            """, "fork.conf");

        var run = fixture.Run(topology.Scenario);

        Assert.Equal((long)LeaseActors.Leases.LeaseType.F_RDLCK, run.Step("child", "seen-by-child").Value);
        Assert.Equal((long)LeaseActors.Leases.LeaseType.F_RDLCK, run.Step("P", "seen-by-thread").Value);
    }
}
