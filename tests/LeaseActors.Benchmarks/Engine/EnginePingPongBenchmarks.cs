using Akka.Actor;
using BenchmarkDotNet.Attributes;
using LeaseActors.Benchmarks.Workloads;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Engine;

/// <summary>
/// Messages per second with one message in flight: the same two <see cref="Rally"/> actors bat a ball
/// <see cref="Messages"/> times, once on the simulation's deterministic dispatcher (inside one
/// <see cref="SimulationDriver.Run"/>, which includes creating and stopping the two actors) and once in a plain
/// ActorSystem on Akka's default dispatcher, where the benchmark thread waits for a TaskCompletionSource that
/// the server completes after the last message. One operation is one message delivered.
/// </summary>
[Config(typeof(EngineBenchmarkConfig))]
public class EnginePingPongBenchmarks
{
    /// <summary>Messages delivered per invocation.</summary>
    public const int Messages = 100_000;

    private ActorSystem _simulationSystem = null!;
    private SimulationDriver _driver = null!;
    private ActorSystem _plainSystem = null!;
    private IActorRef _plainServer = null!;
    private ulong _seed;

    [GlobalSetup]
    public void Setup()
    {
        _simulationSystem = SimulationSetup.CreateSystem("engine-ping-pong");
        _driver = new SimulationDriver(_simulationSystem);
        _plainSystem = ActorSystem.Create("plain-ping-pong", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        _plainServer = _plainSystem.ActorOf(Rally.Plain(), "server");

        var result = _driver.Run(new RunOptions(), run => Rally.Simulated(run.Trace, Messages));
        Checks.Expect(result.EndedBy == RunEndReason.Quiescence && result.Trace.Entries.Count == 1,
            $"the simulated rally ended by {result.EndedBy} with {result.Trace.Entries.Count} trace events");
        Checks.Expect(PlainAkkaDefaultDispatcher() == Messages, "the plain rally did not deliver every message");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _driver.Dispose();
        _simulationSystem.Terminate().Wait(TimeSpan.FromSeconds(10));
        _plainSystem.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>Plain Akka.NET: a rally on the default dispatcher, completed through a TaskCompletionSource.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public int PlainAkkaDefaultDispatcher()
    {
        var done = new TaskCompletionSource<int>();
        _plainServer.Tell(new Rally.Serve(Messages, done));
        return done.Task.GetAwaiter().GetResult();
    }

    /// <summary>The engine: one simulated run whose root rallies <see cref="Messages"/> messages.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public long SimulationDispatcher()
    {
        var result = _driver.Run(new RunOptions { Seed = _seed++ }, run => Rally.Simulated(run.Trace, Messages));
        return result.Steps;
    }
}
