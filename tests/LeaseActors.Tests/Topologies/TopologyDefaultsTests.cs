using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Topologies;
using LeaseActors.Topologies.Internal;

namespace LeaseActors.Tests.Topologies;

/// <summary>Every default of the embedded reference config, asserted once, and that a topology that leaves values out gets them.</summary>
public sealed class TopologyDefaultsTests
{
    [Fact]
    public void The_reference_config_holds_the_documented_defaults()
    {
        var d = TopologyDefaults.Reference;

        Assert.Equal(TimeSpan.FromHours(1), d.Horizon);
        Assert.Equal(TimeSpan.FromSeconds(45), d.LeaseBreakTime);
        Assert.True(d.LeasesEnable);
        Assert.Equal(4096, d.FileSize);
        Assert.Equal(FileType.Regular, d.FileType);
        Assert.Equal(0, d.FileOwner);
        Assert.False(d.FileDax);
        Assert.Equal(0, d.ProcessUid);
        Assert.Equal(TimeSpan.Zero, d.HandlerTakes);
        Assert.False(d.HandlerRestart);
        Assert.True(d.HandlerSigInfo);
        Assert.Equal(OpenFlags.O_RDONLY, d.OpenFlags);
        Assert.Equal(0, d.TruncateLength);
        Assert.Equal(0, d.FtruncateLength);
        Assert.Equal(1, d.WriteBytes);
        Assert.True(d.MmapShared);
    }

    [Fact]
    public void A_topology_that_leaves_everything_out_gets_the_reference_defaults()
    {
        var topology = TopologyParser.Parse("""
            files.data { path = /data }
            processes.A {
              program = [ { open = data, as = f }, { write = f }, { truncate = data }, { ftruncate = f }, { mmap = f } ]
              handlers.SIGIO = {}
            }
            """, "defaults.conf");
        var d = TopologyDefaults.Reference;

        Assert.Equal(d.Horizon, topology.Horizon);
        Assert.Equal((d.LeaseBreakTime, d.LeasesEnable), (topology.Scenario.Options.LeaseBreakTime, topology.Scenario.Options.LeasesEnable));
        Assert.Equal(new EmulatedKernel.CreateFile("/data", d.FileType, d.FileSize, d.FileOwner), topology.Scenario.Files[0]);
        var a = topology.Scenario.Processes[0];
        Assert.Equal(d.ProcessUid, a.Uid);
        var handler = Assert.IsType<SignalAction.Handle>(a.Actions![Sig.SIGIO]).Handler;
        Assert.Equal((d.HandlerTakes, d.HandlerRestart, d.HandlerSigInfo), (handler.Takes, handler.Restart, handler.SigInfo));
        Assert.Equal(
            new Step[]
            {
                new CallStep(new Open("/data", d.OpenFlags, "f")),
                new CallStep(new Write("f", d.WriteBytes)),
                new CallStep(new Truncate("/data", d.TruncateLength)),
                new CallStep(new Ftruncate("f", d.FtruncateLength)),
                new CallStep(new Mmap("f", d.MmapShared)),
            },
            a.Program.ToArray());
    }

    [Fact]
    public void A_reference_config_that_lacks_a_default_is_refused()
    {
        var text = TopologyDefaults.ReferenceText.Replace("siginfo = true", "", StringComparison.Ordinal);

        var error = Assert.Throws<TopologyException>(() => TopologyDefaults.Bind(text, "(broken reference)"));

        Assert.Equal("handler.siginfo", error.Path);
    }
}
