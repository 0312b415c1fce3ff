using LeaseActors.Conformance.Plans;
using LeaseActors.Conformance.Real;
using LeaseActors.Topologies;

namespace LeaseActors.Kernel.Tests.Real;

[Collection(RealKernelGroup.Name)]
[Trait("Category", KernelRequirement.Category)]
public sealed class RealKernelExecutorTests
{
    private const string Reader = """
        sysctl.lease-break-time = 1s
        files.data { path = /srv/data }
        processes {
          A.program = [
            { open = data, as = f }
            { fcntl = F_SETLEASE, fd = f, arg = F_WRLCK, label = lease }
            { sleep = 1200ms }
          ]
          A.handlers.SIGIO = { takes = 0s }
          B.program = [ { wait-for = A.lease }, { open = data, flags = [O_RDONLY], label = reader } ]
        }
        """;

    [KernelFact]
    public void The_worker_builds_from_the_embedded_source_into_the_cache()
    {
        var path = WorkerBinary.Ensure();
        Assert.True(File.Exists(path));
        Assert.StartsWith(WorkerBinary.CacheFolder(), path, StringComparison.Ordinal);
        Assert.Equal(path, WorkerBinary.Ensure());
    }

    [KernelFact]
    public void A_run_uses_real_pids_measures_the_break_and_restores_the_sysctls()
    {
        var before = (File.ReadAllText(KernelEnvironment.LeaseBreakTimePath), File.ReadAllText(KernelEnvironment.LeasesEnablePath));
        var plan = ConformancePlan.Create(TopologyParser.Parse(Reader, "reader.conf"));
        var raw = new RealKernelExecutor().Run(plan);

        Assert.Equal(before, (File.ReadAllText(KernelEnvironment.LeaseBreakTimePath), File.ReadAllText(KernelEnvironment.LeasesEnablePath)));
        Assert.False(File.Exists(SysctlPaths.System.Journal));
        Assert.Equal(2, raw.Processes.Length);
        Assert.All(raw.Processes, p => Assert.True(p.Pid > 1 && p.Pid != Environment.ProcessId));
        var reader = Assert.Single(raw.Steps, s => plan.StepByLabel(s.Label)?.UserLabel == "reader");
        var waitedMs = (reader.ExitUs!.Value - reader.EnterUs) / 1000.0;
        Assert.InRange(waitedMs, 900, 1400); // lease-break-time 1 s, then the write lease is downgraded
        Assert.Equal(Signals.Sig.SIGIO, Assert.Single(raw.Signals).Signo);
        Assert.Equal(KernelEnvironment.Release(), raw.KernelRelease);
    }
}
