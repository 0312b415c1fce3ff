using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using LeaseActors.Benchmarks.Workloads.LeaseBreak;
using LeaseActors.Judging;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Simulation;
using static LeaseActors.OpenFlags;

namespace LeaseActors.Benchmarks.Kernel;

/// <summary>
/// Complete simulated runs per second of the emulated kernel's three-process break scenario — a holder whose
/// SIGIO handler releases its read lease 5 ms after the signal, a writer that breaks it, and one more reader
/// open — with the trace recorded, the run judged (findings and breaks monitors) and its SHA-256 computed,
/// next to the engine's own four-actor scenario measured in the same run (the baseline).
/// </summary>
[Config(typeof(EngineBenchmarkConfig))]
public class KernelBreakBenchmarks
{
    public const int RunsPerInvocation = 50;

    private ActorSystem _system = null!;
    private SimulationDriver _driver = null!;
    private ulong _seed;

    /// <summary>The scenario: holder, breaker, and a reader that opens after the breaker returns.</summary>
    public static Scenario ThreeProcessBreak { get; } = new()
    {
        Files = [new EmulatedKernel.CreateFile("/data", Size: 4096)],
        Processes =
        [
            new EmulatedKernel.Spawn("holder",
                [Do(new Open("/data", O_RDONLY, "f")), Do(new SetLease("f", 0), "lease"), new SleepStep(TimeSpan.FromSeconds(10))],
                Actions: ImmutableDictionary<int, SignalAction>.Empty.Add(Signals.Sig.SIGIO,
                    new SignalAction.Handle(new SignalHandler(TimeSpan.FromMilliseconds(5), [Do(new SetLease("f", 2))])))),
            new EmulatedKernel.Spawn("breaker", [new WaitForStep("holder", "lease"), Do(new Open("/data", O_RDWR, "w"), "breaker")]),
            new EmulatedKernel.Spawn("reader", [new WaitForStep("breaker", "breaker"), Do(new Open("/data", O_RDONLY, "r"))]),
        ],
    };

    private static CallStep Do(Syscall call, string? label = null) => new(call) { Label = label };

    [GlobalSetup]
    public void Setup()
    {
        _system = SimulationSetup.CreateSystem("kernel-break");
        _driver = new SimulationDriver(_system);
        var probe = RunKernel(_driver, 0);
        Checks.Expect(probe.Events > 30, "the kernel scenario recorded too few events");
        Checks.Expect(probe.Breaks.Length == 1 && probe.Breaks[0].SlackMs == 44_995, "the kernel scenario's break was not answered 5 ms after it started");
        var watch = Stopwatch.StartNew();
        long runs = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(6))
        {
            RunKernel(_driver, (ulong)runs++);
            _ = _driver.Run(new RunOptions { Seed = (ulong)runs++ }, LeaseBreakScenario.Props).TraceSha256;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// kernel scenario: {probe.Events} events per run; warm-up {runs} runs in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _driver.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>The engine's four-actor lease-break scenario (about 35 messages), for comparison.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RunsPerInvocation)]
    public string EngineFourActorScenario()
    {
        var hash = "";
        for (var i = 0; i < RunsPerInvocation; i++) hash = _driver.Run(new RunOptions { Seed = _seed++ }, LeaseBreakScenario.Props).TraceSha256;
        return hash;
    }

    /// <summary>The kernel's three-process break scenario, judged.</summary>
    [Benchmark(OperationsPerInvoke = RunsPerInvocation)]
    public string KernelThreeProcessBreak()
    {
        var hash = "";
        for (var i = 0; i < RunsPerInvocation; i++) hash = RunKernel(_driver, _seed++).TraceSha256;
        return hash;
    }

    private static RunReport RunKernel(SimulationDriver driver, ulong seed)
    {
        RunJudge? judge = null;
        var result = driver.Run(new RunOptions { Seed = seed }, run =>
        {
            judge = new RunJudge(run.Trace);
            return ThreeProcessBreak.RootProps(run);
        });
        return judge!.Judge(result, Topology, Policies.Mainline);
    }

    private static readonly LeaseActors.Topologies.Topology Topology = new() { Name = "three-process-break", Source = "(benchmark)", Scenario = ThreeProcessBreak };
}
