using CsCheck;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Tests;

/// <summary>
/// Property: any topology text — well-formed or not — ends in a judged run or a one-line bad-input error within
/// the run's step and time bounds; never another exception, a hang, or an engine failure.
/// </summary>
public sealed class GeneratedTopologyTests
{
    private static readonly string[] StepTemplates =
    [
        "{ open = data, flags = [O_RDONLY], as = f }", "{ open = data, flags = [O_RDWR], as = w }",
        "{ open = data, flags = [O_RDWR, O_NONBLOCK], as = n }", "{ fcntl = F_SETLEASE, fd = f, arg = F_RDLCK }",
        "{ fcntl = F_SETLEASE, fd = f, arg = F_WRLCK }", "{ fcntl = F_SETLEASE, fd = f, arg = F_UNLCK }",
        "{ fcntl = F_GETLEASE, fd = f }", "{ fcntl = F_SETOWN, fd = f, owner = B }", "{ fcntl = F_SETSIG, fd = f, signal = SIGUSR1 }",
        "{ close = f }", "{ dup = f, as = d }", "{ sendmsg = ab, fds = [f] }", "{ recvmsg = ab, fds = [g] }",
        "{ sleep = 10ms }", "{ sleep = 50s }", "{ truncate = data }", "{ exit = 0 }", "{ wait-for = A.lease }",
        "{ wait-for = B.exited }", "{ kill = A, signal = SIGIO }", "{ sigprocmask = SIG_BLOCK, signals = [SIGIO] }",
        "{ mmap = f, as = m }", "{ stat = data }",
    ];

    private static readonly Gen<string> Step = Gen.Int[0, StepTemplates.Length - 1].Select(i => StepTemplates[i]);

    private static readonly Gen<string> Process =
        Gen.Select(Step.Array[0, 5], Gen.Bool, Gen.Int[0, 60], (steps, handler, takes) =>
            $"program = [ {{ open = data, flags = [O_RDONLY], as = f }}, {{ fcntl = F_SETLEASE, fd = f, arg = F_RDLCK, label = lease }}, {string.Join(", ", steps)} ]" +
            (handler ? $"\n    handlers.SIGIO = {{ takes = {takes}s, steps = [ {{ fcntl = F_SETLEASE, fd = f, arg = F_UNLCK }} ] }}" : ""));

    private static readonly Gen<string> Topology =
        Gen.Select(Process, Process, Gen.Int[0, 3].Select(i => i > 0), Gen.Int[0, 60], (a, b, socket, lbt) =>
            $"sysctl.lease-break-time = {lbt}s\nhorizon = 10m\nfiles.data {{ path = /data }}\n" +
            (socket ? "sockets.ab = [A, B]\n" : "") +
            $"processes {{\n  A {{ {a} }}\n  B {{ {b} }}\n}}\n");

    /// <summary>Valid-looking topologies, and the same with a random slice cut out or garbage pasted in.</summary>
    private static readonly Gen<string> Text =
        Gen.Select(Topology, Gen.Int[0, 3], Gen.Int[0, 400], Gen.Int[0, 20], Gen.String[0, 6], (t, mode, at, len, junk) =>
        {
            var i = Math.Min(at, t.Length);
            return mode switch
            {
                1 => t.Remove(i, Math.Min(len, t.Length - i)),
                2 => t.Insert(i, junk),
                _ => t,
            };
        });

    [Fact]
    public void Ten_thousand_generated_topologies_each_end_in_a_result_or_a_bad_input_error()
    {
        using var system = SimulationSetup.CreateSystem("generated-topologies");
        using var driver = new SimulationDriver(system);
        int parsed = 0, rejected = 0;
        Text.Sample(text =>
        {
            Topology topology;
            try
            {
                topology = TopologyParser.Parse(text, "generated.conf");
            }
            catch (TopologyException ex)
            {
                Assert.DoesNotContain('\n', ex.Message);
                rejected++;
                return;
            }
            var report = TopologyRunner.Run(driver, topology, null, 0);
            Assert.True(report.EndedBy is "quiescence" or "horizon", $"{report.EndedBy}\n{text}");
            Assert.True(report.VirtualTimeMs <= TimeSpan.FromMinutes(10).TotalMilliseconds);
            Assert.Contains(report.Verdict, Enum.GetValues<Verdict>());
            parsed++;
        }, iter: 10_000, threads: 1, seed: "0000000000000");
        Assert.True(parsed > 1_000 && rejected > 500, $"parsed {parsed}, rejected {rejected}: the generator should give plenty of both");
    }
}
