using LeaseActors.Campaigns;
using LeaseActors.Chaos;
using LeaseActors.Judging;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Campaigns;

public sealed class ShrinkerTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    /// <summary>
    /// A's handler takes 20 ms. Five delays are injected; only two matter: the handler's extra 30 s and the signal's
    /// 20 s late delivery together push the release past the 45 s deadline (either alone does not). The other three
    /// (a syscall of C, a syscall of E, a socket transfer between C and D) touch processes that have nothing to do with the lease.
    /// </summary>
    private const string Topology = """
        files.data { path = /data }
        files.other { path = /other }
        sockets.cd = [C, D]
        processes {
          A.program = [ { open = data, flags = [O_RDONLY], as = f }, { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK, label = lease }, { sleep = 2m } ]
          A.handlers.SIGIO = { takes = 20ms, steps = [ { fcntl = F_SETLEASE, fd = f, arg = F_UNLCK } ] }
          B.program = [ { wait-for = A.lease }, { open = data, flags = [O_RDWR], as = w, label = breaker } ]
          C.program = [ { stat = other, label = look }, { sendmsg = cd, fds = [] } ]
          D.program = [ { recvmsg = cd } ]
          E.program = [ { sleep = 1s }, { stat = other, label = peek } ]
        }
        chaos.delays = [
          { at = handler, process = A, distribution = fixed, value = 30s }
          { at = signal-delivery, process = A, distribution = fixed, value = 20s }
          { at = syscall, process = C, step = look, distribution = fixed, value = 5s }
          { at = syscall, process = E, step = peek, distribution = fixed, value = 2s }
          { at = socket, process = C, distribution = fixed, value = 1s }
        ]
        """;

    [Fact]
    public void Shrinking_keeps_exactly_the_two_necessary_faults_and_brings_each_delay_within_a_millisecond_of_its_threshold()
    {
        var topology = TopologyParser.Parse(Topology, "shrink.conf");
        var failing = TopologyRunner.Run(fixture.Driver, topology, null, 7);
        Assert.Equal(Verdict.Late, failing.Verdict);
        Assert.Equal(5, failing.Faults.Length);

        var shrunk = new Shrinker(fixture.Driver, topology, null, 7, null).Shrink(failing);

        Assert.Equal(Verdict.Late, shrunk.Verdict);
        Assert.Equal(Verdict.Late, shrunk.Report.Verdict);
        Assert.Equal(["handler", "signal-delivery"], shrunk.Faults.Select(f => f.Point).Order(StringComparer.Ordinal));
        Assert.All(shrunk.Faults, f => Assert.Equal("A", f.Owner));
        for (var i = 0; i < shrunk.Faults.Length; i++)
        {
            // One millisecond less on this delay, the others unchanged, and the run is no longer late.
            var shorter = shrunk.Faults.SetItem(i, shrunk.Faults[i] with { DelayMs = shrunk.Faults[i].DelayMs - 1 });
            var run = TopologyRunner.Run(fixture.Driver, topology, null, 7, new TopologyRunSettings { Script = new FaultScript(shorter) });
            Assert.NotEqual(Verdict.Late, run.Verdict);
        }
        // Together they sit at the deadline: 20 ms of handling plus both delays just exceed 45 s.
        var total = 20 + shrunk.Faults.Sum(f => f.DelayMs!.Value);
        Assert.InRange(total, 45_000, 45_001);
    }

    [Fact]
    public void A_fault_script_replays_exactly_the_sampled_faults()
    {
        var topology = TopologyParser.Parse(Topology, "shrink.conf");
        var sampled = TopologyRunner.Run(fixture.Driver, topology, null, 3);
        var scripted = TopologyRunner.Run(fixture.Driver, topology, null, 3, new TopologyRunSettings { Script = new FaultScript(sampled.Faults) });

        Assert.Equal(sampled.TraceSha256, scripted.TraceSha256);
    }
}
