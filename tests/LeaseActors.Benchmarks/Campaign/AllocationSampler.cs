using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using LeaseActors.Simulation;

namespace LeaseActors.Benchmarks.Campaign;

/// <summary>
/// <c>--campaign-alloc</c>: which types a campaign's runs allocate, from the runtime's own GC AllocationTick events
/// (one event per ~100 KB allocated, naming the type of the object that crossed the threshold), read in-process with
/// an <see cref="EventListener"/>: a sampled allocation profile without dotnet-trace. Runs the judged scenario
/// (TopologyRunner's layers) on one thread, then the raw scenario alone, and prints the top types of each.
/// Options: <c>--runs N</c> (default 3,000), <c>--top K</c> (default 25), <c>--topology</c>, <c>--chaos</c>, <c>--policy</c>.
/// </summary>
internal static class AllocationSampler
{
    public static int Run(string[] args)
    {
        var runs = (int)BenchEnvironment.Number(args, "--runs", 3_000);
        var top = (int)BenchEnvironment.Number(args, "--top", 25);
        var (topology, plan, policy, description) = BenchEnvironment.Scenario(args);
        var scenario = new ScenarioRuns(topology, plan, policy);
        Console.WriteLine($"campaign allocations: {description}; {runs} runs per layer; start {BenchEnvironment.Stamp()}");
        using var system = BenchEnvironment.SimulationSystem("campaign-alloc");
        using var driver = new SimulationDriver(system);
        for (var i = 0; i < 500; i++) scenario.Judged(driver, DeterministicRandom.Derive(0, i));
        foreach (var (name, body) in new (string, Action<ulong>)[]
                 {
                     ("raw driver.Run", seed => scenario.Raw(driver, seed)),
                     ("TopologyRunner.Run", seed => scenario.TopologyRunnerRun(driver, seed)),
                 })
        {
            using var listener = new Listener();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < runs; i++) body(DeterministicRandom.Derive(0, i));
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            listener.Dispose();
            var sampled = listener.ByType.Values.Sum();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {bytes / runs:N0} B per run on the driver thread; {sampled / 1048576.0:F0} MiB sampled by AllocationTick (all threads); top types:"));
            foreach (var (type, amount) in listener.ByType.OrderByDescending(p => p.Value).Take(top))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * amount / sampled,5:F1}%  {type}"));
        }
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        return 0;
    }

    private sealed class Listener : EventListener
    {
        public ConcurrentDictionary<string, long> ByType { get; } = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null || e.PayloadNames is null) return;
            var type = e.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
            var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], CultureInfo.InvariantCulture) : 100_000;
            ByType.AddOrUpdate(type, amount, (_, v) => v + amount);
        }
    }
}
