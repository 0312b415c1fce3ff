using LeaseActors.Benchmarks.Scale;
using LeaseActors.Judging;
using LeaseActors.Simulation;

namespace LeaseActors.Tests.Kernel;

/// <summary>
/// The scale benchmark's lease / break cycle workload (tests/LeaseActors.Benchmarks/Scale, compiled in here) at 1,000
/// processes: the benchmark times it at 10^5; this checks that every cycle does what the benchmark claims to measure.
/// </summary>
public sealed class LeaseCycleWorkloadTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void Every_break_of_the_1000_process_cycle_workload_is_answered_by_the_holders_unlock_and_every_process_exits()
    {
        var workload = LeaseCycleWorkload.For(processes: 1000, files: 100, rounds: 1);
        var scenario = workload.Scenario();
        RunJudge? judge = null;
        var result = fixture.Driver.Run(new RunOptions { Seed = 7 }, run =>
        {
            judge = new RunJudge(run.Trace);
            return LeaseCycleWorkload.Root(scenario, run, traced: true);
        });
        var report = judge!.Judge(result, new LeaseActors.Topologies.Topology { Name = "lease-cycles", Source = "(test)", Scenario = scenario }, Policies.Mainline);
        var trace = new TraceView(result);

        Assert.Equal(RunEndReason.Quiescence, result.EndedBy);
        Assert.Empty(result.Failures);
        Assert.Equal(Verdict.Clean, report.Verdict);
        Assert.Empty(report.Blocked);
        Assert.Equal(900, workload.Cycles);
        Assert.Equal(workload.Cycles, report.Breaks.Length);
        Assert.All(report.Breaks, b =>
        {
            Assert.Equal("Holder", b.ReleasedBy);
            Assert.Equal("h" + b.Inode["/f".Length..], b.LeaseHolders.Single());
            Assert.Equal(b.LeaseHolders.Single(), b.Notified.Single());
            Assert.Equal(LeaseCycleWorkload.HandlerTakes.TotalMilliseconds, b.ReleasedMs - b.StartMs);
        });
        Assert.Equal(workload.Cycles, trace.Events("breaker.unblocked").Count(e => (string?)e.Event["how"] == "no conflict"));
        Assert.Equal(workload.Syscalls, trace.Events("syscall.exit").Count());
        Assert.All(trace.Events("syscall.exit"), e => Assert.Null(e.Event["errno"]));
        Assert.Equal(workload.Processes, trace.Events("process.exited").Count());
    }
}
