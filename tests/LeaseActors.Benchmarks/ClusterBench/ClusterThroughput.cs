using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using LeaseActors.Benchmarks.Campaign;
using LeaseActors.Cluster.Sharding;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Benchmarks.ClusterBench;

/// <summary>
/// <c>--cluster-throughput</c>: kernel trace events and completed lease-break cycles per wall second of a sharded kernel
/// (src/LeaseActors.Cluster/Sharding) on a cluster of 1 and of 3 nodes, all in this process on 127.0.0.1 (issue 9, item 6).
/// </summary>
/// <remarks>
/// <para>
/// The nodes are separate <see cref="ActorSystem"/>s joined over Akka.Remote's TCP transport on loopback, as in
/// tests/LeaseActors.Cluster.Tests/Sharding/ClusterNodes.cs: a message between nodes is serialized (JSON) and crosses a
/// socket exactly as between machines; what the nodes share is the two cores, the thread pool and one (server) GC.
/// </para>
/// <para>
/// The workload, per file <c>/f{i}</c>: a holder <c>h{i}</c> that opens it read-only, takes a read lease and unlocks in
/// its SIGIO handler (which takes 0 s), and a breaker <c>b{i}</c> that opens it for write (the open blocks and breaks the
/// lease) and closes it, <c>--cycles</c> times. The two take turns through labels (the holder re-takes the lease once
/// the breaker has closed, the breaker opens once the lease is back), so every cycle is one break and nothing in it
/// waits on a timer: the 45 s lease-break deadline is armed and cancelled, never reached unless a break takes longer
/// than 45 virtual s (0.9 wall s at the default scale of 50). Processes go round robin over the nodes; the inodes and
/// descriptions, the kernel and its trace collector live on the first node (the home), as docs/cluster.md describes.
/// The measurement runs from <c>Start</c> until every process has exited; a warm-up kernel with the same shape and
/// <c>--warmup-cycles</c> cycles runs first on the same cluster.
/// </para>
/// </remarks>
internal static class ClusterThroughput
{
    private static int s_clusters;

    private static readonly Config NodeConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = ERROR
          stdout-loglevel = ERROR
          remote.log-remote-lifecycle-events = off
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.downing-provider-class = ""
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(ShardedKernelNode.RequiredConfig);

    public static int Run(string[] args)
    {
        var nodes = BenchEnvironment.Option(args, "--nodes", "1,3").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var files = (int)BenchEnvironment.Number(args, "--files", 20);
        var cycles = (int)BenchEnvironment.Number(args, "--cycles", 100);
        var warmup = (int)BenchEnvironment.Number(args, "--warmup-cycles", 20);
        var scale = BenchEnvironment.Number(args, "--scale", 50);
        var timeout = TimeSpan.FromSeconds(BenchEnvironment.Number(args, "--timeout", 300));
        var place = BenchEnvironment.Option(args, "--place", "spread");
        if (nodes.Length == 0 || nodes.Any(n => n < 1) || files < 1 || cycles < 1 || warmup < 0 || scale <= 0 || place is not ("spread" or "home" or "remote"))
        {
            Console.Error.WriteLine("usage: --cluster-throughput [--nodes 1,3] [--files 20] [--cycles 100] [--warmup-cycles 20] [--scale 50] [--timeout 300] [--place spread|home|remote]");
            return 2;
        }
        Console.WriteLine($"cluster throughput: {files} files, {2 * files} processes (a holder and a breaker per file), {cycles} break cycles per file, time scale {scale.ToString(CultureInfo.InvariantCulture)}, processes placed: {place}");
        Console.WriteLine("start: " + BenchEnvironment.Stamp());
        var results = new List<(int Nodes, Result Result)>();
        foreach (var n in nodes)
        {
            var result = RunOn(n, files, cycles, warmup, scale, timeout, place).GetAwaiter().GetResult();
            results.Add((n, result));
            if (result.Hung) return 1;
        }
        if (results.Count > 1)
        {
            var first = results[0];
            foreach (var (n, r) in results.Skip(1))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ratio {n} nodes / {first.Nodes} node(s): events/s {r.EventsPerSecond / first.Result.EventsPerSecond:0.00}x, cycles/s {r.CyclesPerSecond / first.Result.CyclesPerSecond:0.00}x"));
        }
        Console.WriteLine("end: " + BenchEnvironment.Stamp());
        return 0;
    }

    private sealed record Result(bool Hung, double EventsPerSecond, double CyclesPerSecond);

    private static async Task<Result> RunOn(int nodeCount, int files, int cycles, int warmup, double scale, TimeSpan timeout, string place)
    {
        var name = "cbench" + Interlocked.Increment(ref s_clusters);
        var systems = new List<ActorSystem>();
        try
        {
            for (var i = 0; i < nodeCount; i++) systems.Add(ActorSystem.Create(name, NodeConfig));
            var seed = Akka.Cluster.Cluster.Get(systems[0]).SelfAddress;
            using (var joining = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await Task.WhenAll(systems.Select(s => Akka.Cluster.Cluster.Get(s).JoinAsync(seed, joining.Token)));
                foreach (var system in systems)
                    while (Akka.Cluster.Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up) < nodeCount)
                        await Task.Delay(20, joining.Token);
            }
            foreach (var system in systems) ShardedKernelNode.Start(system);
            await ShardedKernelNode.Start(systems[0]).WhenReadyAsync();

            if (warmup > 0)
            {
                var w = await RunKernel(systems[0], "warmup", files, warmup, scale, timeout, place);
                Console.WriteLine(Line(nodeCount, "warm-up", w));
                if (w.Hung) return new Result(true, 0, 0);
            }
            var m = await RunKernel(systems[0], "measured", files, cycles, scale, timeout, place);
            Console.WriteLine(Line(nodeCount, "measured", m));
            if (nodeCount > 1) SerializationProbe(systems[0], m.Records);
            return new Result(m.Hung, m.Events / m.Wall.TotalSeconds, m.Breaks / m.Wall.TotalSeconds);
        }
        finally
        {
            // The other nodes leave first, so the home's own leaving does not wait for members that vanished.
            await Task.WhenAll(systems.Skip(1).Select(s => CoordinatedShutdown.Get(s).Run(CoordinatedShutdown.ClusterLeavingReason.Instance)));
            if (systems.Count > 0) await CoordinatedShutdown.Get(systems[0]).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        }
    }

    private sealed record Measurement(IReadOnlyList<TraceEntry> Records, bool Hung, TimeSpan Wall, TimeSpan Cpu, int Events, int EventNodes, int Breaks, int TimedOut, int LeaseRefused, int OtherFailures,
        IReadOnlyDictionary<string, int> ProcessesPerNode, string Load);

    private static string Line(int nodes, string what, Measurement m) =>
        FormattableString.Invariant($"{nodes} node(s) {what}: {m.Wall.TotalSeconds:0.00} s wall, {m.Cpu.TotalSeconds:0.00} s process CPU; {m.Events} events from {m.EventNodes} node(s) = {m.Events / m.Wall.TotalSeconds:0} events/s; ")
        + FormattableString.Invariant($"{m.Breaks} breaks = {m.Breaks / m.Wall.TotalSeconds:0.0} cycles/s ({m.Events / (double)Math.Max(1, m.Breaks):0.0} events per cycle); ")
        + FormattableString.Invariant($"breaks ended by the deadline {m.TimedOut}, F_SETLEASE refused {m.LeaseRefused}, other failed calls {m.OtherFailures}; ")
        + FormattableString.Invariant($"processes per node [{string.Join(", ", m.ProcessesPerNode.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value))}]; load average {m.Load}")
        + (m.Hung ? " — HUNG" : "");

    /// <summary>
    /// Where processes go: round robin over the members (<c>spread</c>, the default), all on the home (<c>home</c>: the
    /// cluster is there but no kernel message crosses nodes) or round robin over the members other than the home
    /// (<c>remote</c>: every syscall, reply, signal and trace event of a process crosses).
    /// </summary>
    private static Func<string, IReadOnlyList<Address>, Address>? Placement(string place, Address home)
    {
        var next = 0;
        return place switch
        {
            "home" => (_, _) => home,
            "remote" => (_, members) =>
            {
                var others = members.Where(m => m != home).ToList();
                return others.Count == 0 ? home : others[next++ % others.Count];
            },
            _ => null,
        };
    }

    private static async Task<Measurement> RunKernel(ActorSystem home, string name, int files, int cycles, double scale, TimeSpan timeout, string place)
    {
        var kernel = ShardedKernel.Create(home, new ShardedKernelOptions
        {
            Name = name,
            TimeScale = scale,
            PlaceProcess = Placement(place, Akka.Cluster.Cluster.Get(home).SelfAddress),
        });
        var wall = Stopwatch.StartNew();
        var cpu = BenchEnvironment.ProcessCpu();
        var hung = false;
        try
        {
            for (var f = 0; f < files; f++) await kernel.CreateFileAsync(new EmulatedKernel.CreateFile("/f" + f, Size: 4096));
            for (var f = 0; f < files; f++)
            {
                await kernel.SpawnAsync(Holder(f, cycles));
                await kernel.SpawnAsync(Breaker(f, cycles));
            }
            await kernel.WhenHostedAsync();
            wall.Restart();
            cpu = BenchEnvironment.ProcessCpu();
            kernel.Start();
            using var deadline = new CancellationTokenSource(timeout);
            while (!deadline.IsCancellationRequested)
            {
                await Task.Delay(20);
                var (alive, started, _) = kernel.Activity();
                if (started && alive == 0) break;
            }
            hung = deadline.IsCancellationRequested;
        }
        finally
        {
            wall.Stop();
            cpu = BenchEnvironment.ProcessCpu() - cpu;
            await kernel.StopAsync();
        }
        var events = kernel.Events();
        var (count, eventNodes) = kernel.EventCounts;
        var perNode = kernel.Placements.Where(p => p.Key.Contains(".p", StringComparison.Ordinal))
            .GroupBy(p => p.Value?.ToString() ?? "?", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var breaks = events.Count(e => e.Event.Kind == "breaker.unblocked");
        var timedOut = events.Count(e => e.Event.Kind is "lease.removed" or "lease.changed" && Field(e, "reason") is string reason && reason.EndsWith("Timeout", StringComparison.Ordinal));
        var exits = events.Where(e => e.Event.Kind == "syscall.exit" && Field(e, "errno") is string).ToList();
        var refused = exits.Count(e => Field(e, "name") is string n && n.StartsWith("fcntl", StringComparison.Ordinal));
        if (hung) ReportHang(events, files, cycles);
        return new Measurement(events, hung, wall.Elapsed, cpu, count, eventNodes, breaks, timedOut, refused, exits.Count - refused, perNode, BenchEnvironment.Load());
    }

    /// <summary>
    /// What one trace event costs to cross a node (the collector lives on the home, so every event of a process on
    /// another node does): the measured run's events as the <see cref="TraceRecord"/>s the nodes send, serialized and
    /// deserialized with the serializer the home picks for them (Akka's JSON), on this thread.
    /// </summary>
    private static void SerializationProbe(ActorSystem system, IReadOnlyList<TraceEntry> events)
    {
        var records = events.Select(e => TraceRecord.From("akka.tcp://x@127.0.0.1:1", e)).ToList();
        var serializer = system.Serialization.FindSerializerFor(records[0]);
        long bytes = 0;
        for (var round = 0; round < 2; round++) // the first round warms up
        {
            bytes = 0;
            var cpu = BenchEnvironment.ProcessCpu();
            var wall = Stopwatch.StartNew();
            foreach (var r in records)
            {
                var binary = serializer.ToBinary(r);
                bytes += binary.Length;
                _ = serializer.FromBinary<TraceRecord>(binary);
            }
            wall.Stop();
            cpu = BenchEnvironment.ProcessCpu() - cpu;
            if (round == 1)
                Console.WriteLine(FormattableString.Invariant(
                    $"  serialization probe ({serializer.GetType().Name}): a trace event as TraceRecord, to and from binary: {wall.Elapsed.TotalMilliseconds * 1000 / records.Count:0.0} µs wall, {cpu.TotalMilliseconds * 1000 / records.Count:0.0} µs process CPU, {bytes / (double)records.Count:0} bytes per event; load average {BenchEnvironment.Load()}"));
        }
    }

    /// <summary>For a hang: how far each process got (its last label) and its last three events.</summary>
    private static void ReportHang(IReadOnlyList<TraceEntry> events, int files, int cycles)
    {
        Console.WriteLine($"HUNG: not every process exited; expected {cycles} cycles per file. Last label and events per process:");
        for (var f = 0; f < files; f++)
            foreach (var p in new[] { "h" + f, "b" + f })
            {
                var mine = events.Where(e => Field(e, "process") as string == p || Field(e, "to") as string == p).ToList();
                var label = mine.Where(e => e.Event.Kind == "label").Select(e => Field(e, "label") as string).LastOrDefault() ?? "-";
                Console.WriteLine($"  {p}: last label {label}; " + string.Join(" | ", mine.TakeLast(3).Select(e => $"{e.Time.TotalMilliseconds:0} ms {e.Event}")));
            }
    }

    private static object? Field(TraceEntry e, string name) => (e.Event as TraceEvent)?[name];

    private static EmulatedKernel.Spawn Holder(int file, int cycles)
    {
        var steps = ImmutableArray.CreateBuilder<Step>(1 + 2 * cycles);
        steps.Add(new CallStep(new Open("/f" + file, OpenFlags.O_RDONLY, As: "f")));
        for (var i = 0; i < cycles; i++)
        {
            steps.Add(new CallStep(new SetLease(FdRef.Named("f"), 0)) { Label = "l" + i });
            steps.Add(new WaitForStep("b" + file, "c" + i));
        }
        var unlock = new SignalHandler(TimeSpan.Zero, [new CallStep(new SetLease(FdRef.Named("f"), 2))]);
        return new EmulatedKernel.Spawn("h" + file, steps.MoveToImmutable(),
            Actions: ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO, new SignalAction.Handle(unlock)));
    }

    private static EmulatedKernel.Spawn Breaker(int file, int cycles)
    {
        var steps = ImmutableArray.CreateBuilder<Step>(3 * cycles);
        for (var i = 0; i < cycles; i++)
        {
            steps.Add(new WaitForStep("h" + file, "l" + i));
            steps.Add(new CallStep(new Open("/f" + file, OpenFlags.O_RDWR, As: "w")));
            steps.Add(new CallStep(new Close(FdRef.Named("w"))) { Label = "c" + i });
        }
        return new EmulatedKernel.Spawn("b" + file, steps.MoveToImmutable());
    }
}
