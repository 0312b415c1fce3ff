using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Topologies;

/// <summary>The RDMA and FS-DAX steps of DESIGN.md §3 parse to the syscalls they name, and bad ones name their path on one line.</summary>
public sealed class RdmaStepParserTests
{
    private const string Good = """
        files.data { path = /mnt/pmem/data, size = 1MiB, dax = true }
        processes.A.program = [
          { open = data, flags = [O_RDWR], as = f }
          { layout-lease = f, label = leased }
          { mmap = f, as = m }
          { verbs-open = true, as = ctx }
          { reg-mr = m, context = ctx, as = mr }
          { reg-mr = m, context = ctx, as = odp-mr, odp = true, dma-rate = 250, offset = 8KiB, length = 64KiB, label = odp }
          { dereg-mr = mr }
          { dereg-mr = odp-mr, context = ctx }
          { punch-hole = f, offset = 4KiB, length = 16KiB }
          { punch-hole = f, length = 1MiB }
          { layout-unlock = f }
        ]
        """;

    [Fact]
    public void The_RDMA_steps_parse_to_the_syscalls_they_name()
    {
        var topology = TopologyParser.Parse(Good, "good.conf");

        Assert.Equal(new EmulatedKernel.CreateFile("/mnt/pmem/data", FileType.Regular, 1_048_576, 0) { Dax = true }, topology.Scenario.Files[0]);
        Assert.Equal(
            new Step[]
            {
                new CallStep(new Open("/mnt/pmem/data", OpenFlags.O_RDWR, "f")),
                new CallStep(new TakeLayoutLease("f")) { Label = "leased" },
                new CallStep(new Mmap("f", true, "m")),
                new CallStep(new OpenVerbsContext("ctx")),
                new CallStep(new RegisterRegion("ctx", "m", "mr")),
                new CallStep(new RegisterRegion("ctx", "m", "odp-mr", true, 250, 8192, 65_536)) { Label = "odp" },
                new CallStep(new DeregisterRegion("ctx", "mr")),
                new CallStep(new DeregisterRegion("ctx", "odp-mr")),
                new CallStep(new PunchHole("f", 4096, 16_384)),
                new CallStep(new PunchHole("f", 0, 1_048_576)),
                new CallStep(new ReleaseLayoutLease("f")),
            },
            topology.Scenario.Processes[0].Program.ToArray());
    }

    [Fact]
    public void A_region_registered_in_one_process_can_be_deregistered_in_another_through_a_passed_context()
    {
        var topology = TopologyParser.Parse("""
            files.data { path = /mnt/pmem/data, dax = true }
            sockets.ab = [A, B]
            processes {
              A.program = [ { open = data, as = f }, { mmap = f, as = m }, { verbs-open = true, as = ctx }, { reg-mr = m, context = ctx, as = mr }, { sendmsg = ab, fds = [ctx] } ]
              B.program = [ { recvmsg = ab, fds = [c] }, { dereg-mr = mr, context = c } ]
            }
            """, "passed.conf");

        Assert.Equal(new CallStep(new DeregisterRegion("c", "mr")), topology.Scenario.Processes[1].Program[1]);
    }

    private const string Head = """
        files.data { path = /mnt/pmem/data, dax = true }
        processes.A.program = [
          { open = data, flags = [O_RDWR], as = f }
          { mmap = f, as = m }
          { verbs-open = true, as = ctx }

        """;

    public static TheoryData<string, string, string> Bad => new()
    {
        { "{ reg-mr = m, as = mr }", "processes.A.program[3]", "needs `context`" },
        { "{ reg-mr = m, context = ctx }", "processes.A.program[3]", "needs `as`" },
        { "{ dereg-mr = nope, context = ctx }", "processes.A.program[3].dereg-mr", "no reg-mr step registers a region named `nope`" },
        { "{ dereg-mr = nope }", "processes.A.program[3]", "needs `context`" },
        { "{ reg-mr = m, context = ctx, as = mr }\n  { reg-mr = m, context = ctx, as = mr }", "processes.A.program[4].as", "region `mr` is already registered" },
        { "{ punch-hole = f, offset = 4KiB }", "processes.A.program[3]", "needs `length`" },
        { "{ punch-hole = f, length = 0 }", "processes.A.program[3].length", "expected a length above 0" },
        { "{ verbs-open = true }", "processes.A.program[3]", "needs `as`" },
        { "{ reg-mr = m, context = ctx, as = mr, rate = 5 }", "processes.A.program[3].rate", "unknown key `rate`" },
        { "{ reg-mr = m, context = nope, as = mr }", "processes.A.program[3].context", "nope" },
        { "{ layout-lease = nope }", "processes.A.program[3].layout-lease", "nope" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_RDMA_step_is_one_line_naming_its_path(string step, string path, string problem)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(Head + "  " + step + "\n]\n", "bad.conf"));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("bad.conf: " + path + ": ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
