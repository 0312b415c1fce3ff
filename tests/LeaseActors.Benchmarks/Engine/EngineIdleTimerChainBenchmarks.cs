using Akka.Actor;
using BenchmarkDotNet.Attributes;
using LeaseActors.Benchmarks.Workloads;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Engine;

/// <summary>
/// Wall time per virtual hour of an idle actor: one simulated run in which a <see cref="TimerChain"/> re-arms a
/// 1 s <c>IWithTimers</c> timer 3,600 times (3,600 timer fires and mailbox turns, nothing else ready). One
/// operation is one virtual hour, so <c>Op/s</c> is virtual hours per wall-clock second.
/// </summary>
[Config(typeof(EngineBenchmarkConfig))]
public class EngineIdleTimerChainBenchmarks
{
    private const int Ticks = 3_600;

    private static readonly RunOptions Options = new() { Horizon = TimeSpan.FromHours(2) };

    private ActorSystem _system = null!;
    private SimulationDriver _driver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = SimulationSetup.CreateSystem("engine-idle-timer-chain");
        _driver = new SimulationDriver(_system);
        var result = VirtualHourOfOneSecondTimers();
        Checks.Expect(result == TimeSpan.FromHours(1), $"the chain ended at {result} of virtual time, not after one hour");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _driver.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>One run: 3,600 one-second timers in a chain.</summary>
    [Benchmark]
    public TimeSpan VirtualHourOfOneSecondTimers()
    {
        var result = _driver.Run(Options, run => TimerChain.Props(run.Trace, Ticks, TimeSpan.FromSeconds(1)));
        return result.VirtualTime;
    }
}
