using Akka.Actor;
using BenchmarkDotNet.Attributes;
using LeaseActors.Benchmarks.Workloads;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Engine;

/// <summary>
/// Cost of one step with <see cref="PendingTimers"/> timers pending in the virtual clock. Each run's root first
/// schedules that many timers 30 days ahead (past the horizon, so none fires), then a child runs
/// <see cref="Steps"/> steps of either a 1 ms timer chain (each step adds one timer to the clock and fires it)
/// or a ping-pong (which never touches the clock). One operation is one step.
/// </summary>
/// <remarks>
/// Scheduling the pending timers happens inside each measured run. <see cref="SchedulingOnly"/> measures just
/// that part (the root and zero workload steps) with the same <c>OperationsPerInvoke</c>, so its row is the share
/// of each other row that is set-up, not stepping.
/// </remarks>
[Config(typeof(EngineBenchmarkConfig))]
public class EnginePendingTimersBenchmarks
{
    /// <summary>Steps per invocation.</summary>
    public const int Steps = 200_000;

    private static readonly RunOptions Options = new() { Horizon = TimeSpan.FromDays(10) };

    private ActorSystem _system = null!;
    private SimulationDriver _driver = null!;

    /// <summary>Far-future timers pending while the workload steps.</summary>
    [Params(0, 100_000)]
    public int PendingTimers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = SimulationSetup.CreateSystem("engine-pending-timers");
        _driver = new SimulationDriver(_system);
        var chain = _driver.Run(Options, run => FarFutureTimers.Props(PendingTimers, TimerChain.Props(run.Trace, Steps, TimeSpan.FromMilliseconds(1))));
        Checks.Expect(chain.TimersFired == Steps && chain.Trace.Entries.Count == 1,
            $"the timer chain fired {chain.TimersFired} timers and recorded {chain.Trace.Entries.Count} events");
        var expected = PendingTimers == 0 ? RunEndReason.Quiescence : RunEndReason.Horizon;
        Checks.Expect(chain.EndedBy == expected, $"the timer chain ended by {chain.EndedBy}, expected {expected}");
        var rally = _driver.Run(Options, run => FarFutureTimers.Props(PendingTimers, Rally.Simulated(run.Trace, Steps)));
        Checks.Expect(rally.Trace.Entries.Count == 1, "the ping-pong did not finish");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _driver.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>A timer chain: every step schedules a 1 ms timer and fires it.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public long TimerChainStep() =>
        _driver.Run(Options, run => FarFutureTimers.Props(PendingTimers, TimerChain.Props(run.Trace, Steps, TimeSpan.FromMilliseconds(1)))).Steps;

    /// <summary>A ping-pong: every step delivers one message; the clock is not touched.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public long PingPongStep() =>
        _driver.Run(Options, run => FarFutureTimers.Props(PendingTimers, Rally.Simulated(run.Trace, Steps))).Steps;

    /// <summary>Only the set-up: the root schedules the pending timers and the run ends; amortized over <see cref="Steps"/>.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public long SchedulingOnly() =>
        _driver.Run(Options, run => FarFutureTimers.Props(PendingTimers, Props.Empty)).Steps;
}
