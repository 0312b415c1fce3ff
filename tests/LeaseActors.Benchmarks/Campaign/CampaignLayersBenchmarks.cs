using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using LeaseActors.Judging;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// One campaign run of the RDMA seed scenario (rdma-seed.conf, mr-holds-lease, delays.conf) at each layer a campaign
/// stacks (see <see cref="ScenarioRuns"/>), with BenchmarkDotNet's memory diagnoser: the raw scenario on the driver
/// (baseline), plus its trace hash, plus the judge's monitors, and the whole <c>TopologyRunner.Run</c>; and, for
/// scale, the same scenario as plain Akka.NET actors (<see cref="PlainAkkaRdmaSeed"/>, one run in flight). Every
/// invocation runs the same 200 seeds (the campaign's first 200), since a run's cost depends on its seed.
/// </summary>
[Config(typeof(EngineBenchmarkConfig))]
public class CampaignLayersBenchmarks
{
    public const int RunsPerInvocation = 200;

    private ActorSystem _system = null!;
    private ActorSystem _plain = null!;
    private SimulationDriver _driver = null!;
    private ScenarioRuns _scenario = null!;
    private readonly ulong[] _seeds = Enumerable.Range(0, RunsPerInvocation).Select(i => DeterministicRandom.Derive(0, i)).ToArray();

    [GlobalSetup]
    public void Setup()
    {
        var (topology, plan, policy, _) = BenchEnvironment.Scenario([]);
        _scenario = new ScenarioRuns(topology, plan, policy);
        _system = BenchEnvironment.SimulationSystem("campaign-layers");
        _plain = ActorSystem.Create("campaign-layers-plain", BenchEnvironment.Quiet);
        _driver = new SimulationDriver(_system);
        var report = _scenario.TopologyRunnerRun(_driver, DeterministicRandom.Derive(0, 0));
        Checks.Expect(report.Verdict == Verdict.Clean && report.Events > 50, "run 0 of the RDMA seed campaign was not clean"); // its delays make the expectation (blocked 5 ms) differ
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(8))
        {
            _scenario.TopologyRunnerRun(_driver, _seeds[runs % RunsPerInvocation]);
            _scenario.Raw(_driver, _seeds[runs % RunsPerInvocation]);
            PlainAkkaRdmaSeed.RunOnce(_plain, runs++);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// warm-up: {runs} runs of each layer in {watch.Elapsed.TotalSeconds:F1} s; load average {BenchEnvironment.Load()}"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine("// load average at the end: " + BenchEnvironment.Load());
        _driver.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
        _plain.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RunsPerInvocation)]
    public long RawDriverRun()
    {
        long steps = 0;
        foreach (var seed in _seeds) steps += _scenario.Raw(_driver, seed).Steps;
        return steps;
    }

    [Benchmark(OperationsPerInvoke = RunsPerInvocation)]
    public int RawWithTraceHash()
    {
        var n = 0;
        foreach (var seed in _seeds) n += _scenario.Raw(_driver, seed).TraceSha256.Length;
        return n;
    }

    [Benchmark(OperationsPerInvoke = RunsPerInvocation)]
    public long RawWithMonitors()
    {
        long steps = 0;
        foreach (var seed in _seeds) steps += _scenario.WithMonitors(_driver, seed).Steps;
        return steps;
    }

    [Benchmark(OperationsPerInvoke = RunsPerInvocation)]
    public int TopologyRunnerRun()
    {
        var n = 0;
        foreach (var seed in _seeds) n += (int)_scenario.TopologyRunnerRun(_driver, seed).Verdict;
        return n;
    }

    [Benchmark(OperationsPerInvoke = RunsPerInvocation)]
    public int PlainAkkaActors()
    {
        var n = 0;
        for (var i = 0; i < RunsPerInvocation; i++) n += PlainAkkaRdmaSeed.RunOnce(_plain, i);
        return n;
    }
}
