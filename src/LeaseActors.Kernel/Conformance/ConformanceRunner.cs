using System.Diagnostics;
using LeaseActors.Conformance.Emulated;
using LeaseActors.Conformance.Observation;
using LeaseActors.Conformance.Plans;
using LeaseActors.Conformance.Real;
using LeaseActors.Topologies;

namespace LeaseActors.Conformance;

/// <summary>
/// Runs topologies on both executors and compares what they show: the emulator (deterministic, virtual time) and
/// the machine's kernel (the oracle). One instance holds one emulator actor system; runs are sequential.
/// </summary>
public sealed class ConformanceRunner : IDisposable
{
    private readonly EmulatorExecutor _emulator = new();
    private readonly RealKernelExecutor _kernel;

    /// <summary>A runner using the machine's sysctls (or <paramref name="sysctls"/>).</summary>
    public ConformanceRunner(SysctlPaths? sysctls = null) => _kernel = new RealKernelExecutor(sysctls);

    /// <summary>Runs <paramref name="topology"/> on both and compares.</summary>
    /// <exception cref="UnsupportedTopologyException">It uses something the real-kernel executor does not run.</exception>
    /// <exception cref="KernelUnavailableException">The real kernel cannot be used here.</exception>
    public CaseResult Run(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var plan = ConformancePlan.Create(topology);
        var watch = Stopwatch.StartNew();
        var kernelRaw = _kernel.Run(plan);
        var kernelWall = watch.Elapsed;
        var emulatorRaw = _emulator.Run(plan);
        var emulator = Normalizer.Normalize(plan, emulatorRaw);
        var kernel = Normalizer.Normalize(plan, kernelRaw);
        var lbt = topology.Scenario.Options.LeaseBreakTime;
        return new CaseResult(topology.Name, topology.Source, plan, Comparison.Of(emulator, kernel, lbt), emulator, kernel, kernelWall);
    }

    /// <inheritdoc />
    public void Dispose() => _emulator.Dispose();
}

/// <summary>The outcome of one topology on both executors.</summary>
/// <param name="Name">The topology's name.</param>
/// <param name="Source">The file it came from.</param>
/// <param name="Plan">The prepared topology.</param>
/// <param name="Comparison">The side-by-side rows.</param>
/// <param name="Emulator">What the emulator showed.</param>
/// <param name="Kernel">What the kernel showed (real pids, measured waits).</param>
/// <param name="KernelWall">How long the real run took.</param>
public sealed record CaseResult(string Name, string Source, ConformancePlan Plan, Comparison Comparison, ObservedTrace Emulator, ObservedTrace Kernel, TimeSpan KernelWall)
{
    /// <summary>True when the two agree on every row.</summary>
    public bool Agrees => Comparison.Agrees;
}
